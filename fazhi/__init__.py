"""Fazhi: the platform a city, district or county government runs its 法治政府建设 work on."""
