"""The demo city: a fictional 明湖市 built through the real services, for trying Fazhi out.

`data.py` holds what the city is (regions, units, people's posts, 权责清单, 边界事项, case
templates); `city.py` writes it through the services so that it is numbered, clocked and audited
exactly like real work. `fazhi demo` builds it on a fresh SQLite database and serves it.
"""
