"""A small routing history written for the tests: how callers actually put things.

Each entry: third-level category code, the unit that handles it, and several ways people say
it (colloquial, rambling, terse, with the odd typo). `history()` combines them with openers,
places and closings into a reproducible list. The held-out texts in data/realistic_requests.txt
were written separately and share no sentence with this file.
"""

import random

from fazhi.hotline.learning import Example

PLACES = (
    "幸福小区", "建设路", "中原路和人民路交叉口", "金堤河边上", "老城区南关", "开州路菜市场",
    "胜利路", "油田三号院", "华龙区政府对面", "绿城一期", "龙都花园", "黄河路西头",
    "任丘路", "五一路小学旁边", "石化路", "京开大道", "濮上园", "挥公大道",
)  # fmt: skip
OPENERS = (
    "", "", "你好，", "喂，你好，", "我想反映个事，", "麻烦问一下，", "我是{place}的住户，",
    "您好我要投诉，", "跟你们说个事儿，", "师傅你好，",
)  # fmt: skip
CLOSINGS = (
    "", "", "希望尽快处理。", "谢谢！", "都好几天了没人管。", "能不能派人来看看。", "请给个说法。",
    "打过好几次电话了。", "麻烦回个电话。",
)  # fmt: skip

CORPUS: list[tuple[str, str, tuple[str, ...]]] = [
    ("010101", "cgj", (
        "{place}路面有个大坑，电动车一过就颠", "{place}那段路坑坑洼洼的，下雨全是水坑",
        "{place}马路塌了一块，晚上看不见很危险", "{place}的路烂得不成样子了，车都没法走",
        "{place}柏油路面裂开好多口子", "{place}路上有个坑把我车胎都扎了",
    )),
    ("010102", "cgj", (
        "{place}井盖没了，就拿个树枝插着", "{place}有个下水道盖子碎了", "{place}人行道上井盖松了一踩就翻",
        "{place}窨井盖丢了好几天", "{place}井盖比路面低一截，车过去咣当响",
    )),
    ("010103", "cgj", (
        "{place}路灯不亮一个多星期了", "{place}晚上黑乎乎的，路灯全坏了", "{place}路灯白天一直亮着浪费电",
        "{place}那一排灯都不亮，走夜路害怕", "{place}路灯杆歪了灯也不亮",
    )),
    ("010201", "cgj", (
        "{place}每天早上一堆摆摊的把路堵死了", "{place}小商贩占着人行道卖菜", "{place}门口流动摊贩太多，车都过不去",
        "{place}马路市场天天占道", "{place}水果摊摆到马路中间了",
    )),
    ("010204", "cgj", (
        "{place}楼下烧烤摊烟熏火燎到半夜", "{place}路边烤串的把烟都吹到我家窗户里", "{place}露天烧烤没人管，又吵又呛",
        "{place}夜市烧烤摊占道还冒黑烟",
    )),
    ("010301", "cgj", (
        "{place}垃圾堆了好几天没人拉", "{place}垃圾桶满了溢出来，臭得很", "{place}垃圾站没人清运苍蝇乱飞",
        "{place}楼下垃圾成山了", "{place}的垃圾一个星期没收走了",
    )),
    ("010401", "cgj", (
        "{place}有棵大树快倒了，压着电线", "{place}树枝伸到窗户里挡光", "{place}的树好几年没修剪了，挡住路灯",
        "{place}刮风把树刮倒了横在路上", "{place}枯树枝随时会掉下来砸人",
    )),
    ("010501", "cgj", (
        "{place}有人在楼下私搭乱建盖小房", "{place}一楼住户把院子圈起来盖了间房", "{place}楼顶加盖了一层彩钢房",
        "{place}有户人家违建，占了公共过道", "{place}有人偷偷搭棚子做仓库",
    )),
    ("020101", "zjj", (
        "{place}物业啥也不管，楼道灯坏了半年", "{place}物业公司收钱不干活", "{place}小区保安形同虚设，门禁一直坏着",
        "{place}物业服务太差了，报修没人理", "{place}的物业态度恶劣还骂人",
    )),
    ("020103", "zjj", (
        "{place}电梯又坏了，老人爬不了楼", "{place}电梯三天两头停运", "{place}电梯里面咯噔咯噔响不敢坐",
        "{place}电梯困过人了物业还不修", "{place}电梯停了一个月没人修",
    )),
    ("020107", "zjj", (
        "{place}楼上漏水把我家天花板泡了", "{place}一下雨屋顶就漏", "{place}外墙渗水，墙皮都掉了",
        "{place}卫生间往楼下渗水邻居不管", "{place}顶楼漏雨物业推来推去",
    )),
    ("020202", "zjj", (
        "{place}那个楼盘说好去年交房到现在还没交", "{place}开发商一直拖着不交房", "买的{place}的房子逾期交房两年了",
        "{place}项目停工了，怕烂尾", "{place}期房交付一拖再拖",
    )),
    ("020301", "zjj", (
        "{place}工地半夜还在施工，吵得睡不着", "{place}工地晚上打桩，咚咚咚的", "{place}夜里工地机器轰隆隆响",
        "{place}工地凌晨两点还在浇筑", "{place}施工噪音扰民，天天加班干",
    )),
    ("030102", "sthj", (
        "{place}饭店油烟直接往居民楼排", "{place}餐馆的油烟管对着我家窗户", "{place}楼下饭馆排油烟熏得没法开窗",
        "{place}小吃店没装油烟净化器",
    )),
    ("030104", "sthj", (
        "{place}附近一到晚上就有股怪味", "{place}那边臭气熏天，不知道哪来的", "{place}空气里一股化学品的刺鼻味",
        "{place}那个厂子排的气味太难闻了",
    )),
    ("030201", "sthj", (
        "{place}有个厂往河里偷排污水", "{place}排污口冒黑水", "{place}河边有管子往河里排脏水",
        "{place}污水直接排到沟里，河水都黑了",
    )),
    ("030302", "gaj", (
        "{place}广场舞音响开得震天响", "{place}楼上天天半夜蹦迪", "{place}商铺门口大喇叭吆喝一整天",
        "{place}隔壁KTV声音太吵睡不着", "{place}邻居装修从早砸到晚",
    )),
    ("040101", "jtj", (
        "{place}能不能增加一趟公交", "{place}公交站牌被撤了，等车不知道在哪等", "{place}公交车太少，一等就是半个钟头",
        "希望{place}开通一条公交线路", "{place}公交站离得太远老人走不动",
    )),
    ("040201", "jtj", (
        "在{place}打车司机拒载", "{place}的出租车不打表乱要价", "出租车司机故意绕路，从{place}多收了二十块",
        "{place}出租车司机态度恶劣",
    )),
    ("050201", "gaj", (
        "{place}有辆车堵在小区门口好几天", "{place}有人乱停车把消防通道堵了", "{place}路边违停的车太多了",
        "{place}有辆车停在我家车库门口挪不出来", "{place}车停到人行道上了",
    )),
    ("050304", "gaj", (
        "{place}有人遛狗不拴绳，吓着孩子了", "{place}楼下的狗整夜叫", "{place}流浪狗成群，还咬了人",
        "{place}邻居养大型犬，天天在楼道里拉屎",
    )),
    ("060101", "scj", (
        "在{place}超市买的牛奶过期了", "{place}买的面包里吃出个虫子", "{place}店里卖变质的肉",
        "在{place}买的零食吃完拉肚子", "{place}小卖部卖三无食品",
    )),
    ("060201", "scj", (
        "{place}那家健身房跑路了，卡里还有三千", "{place}理发店办的充值卡不给退", "{place}美容院关门了会员卡退不了",
        "{place}游泳馆倒闭了预付的钱没了", "在{place}办的培训卡老板联系不上了",
    )),
    ("060203", "scj", (
        "{place}停车场乱收费", "{place}饭店菜单上没标价，结账时宰客", "{place}的菜价突然涨了好几倍",
        "{place}药店价格比别处贵一倍还不标价",
    )),
    ("070101", "rsj", (
        "在{place}工地干了半年，老板不给工钱", "公司拖欠我三个月工资了，在{place}", "{place}那个厂子欠薪不发",
        "包工头跑了，{place}这边十几个人的工资没着落", "{place}的饭店老板不发工资",
    )),
    ("070204", "rsj", (
        "单位一直不给交社保", "社保转移办了两个月还没转过来", "想问下社保断缴了怎么补",
        "{place}那家公司不给员工上社保", "社保卡丢了怎么补办",
    )),
    ("080201", "jyj", (
        "孩子上小学划片划到很远的学校", "{place}的学区怎么划的，想问问入学政策", "孩子转学手续办不下来",
        "今年一年级报名要什么材料", "户口在{place}为啥不能就近入学",
    )),
    ("080202", "jyj", (
        "{place}有个辅导班违规补课", "培训机构收了一年的学费现在关门了", "{place}的补习班周末偷偷上课",
        "学校老师让学生去校外培训班",
    )),
    ("090101", "wjw", (
        "{place}医院挂号排了三个小时", "医生看病态度很差，问两句就不耐烦", "在{place}医院看病被推来推去",
        "医院急诊没人管，病人躺在走廊",
    )),
    ("090201", "ybj", (
        "医保报销比例怎么这么低", "住院的医保到现在还没报下来", "门诊的医保报不了是咋回事",
        "在{place}看病医保刷不了卡",
    )),
    ("100101", "mzj", (
        "家里困难想申请低保", "低保申请了半年没消息", "我爸的低保突然被取消了",
        "{place}社区说我们家不符合低保条件",
    )),
    ("100202", "mzj", (
        "老人的高龄补贴好几个月没发", "八十岁以上的补贴怎么领", "高龄津贴停发了不知道为啥",
        "老年人补贴到底多少钱，怎么申请",
    )),
    ("110101", "water", (
        "{place}停水了也不提前通知", "{place}一整天没水，做饭都没法做", "{place}又断水了，啥时候来水",
        "{place}从早上到现在一滴水都没有",
    )),
    ("110201", "power", (
        "{place}停电好几个小时了", "{place}三天两头断电，冰箱里东西都坏了", "{place}突然没电了",
        "{place}一到晚上就停电",
    )),
    ("110301", "gas", (
        "{place}天然气一直开通不了", "燃气表坏了，{place}", "{place}燃气报装交了钱没人来装",
        "{place}燃气灶点不着火，燃气公司不来修",
    )),
    ("110401", "heat", (
        "{place}暖气一点都不热", "{place}家里才十四度，暖气片冰凉", "{place}供暖温度不达标，冻得受不了",
        "{place}暖气时热时不热",
    )),
    ("130101", "zrzy", (
        "{place}买的房子好几年了房产证办不下来", "不动产证啥时候能拿到", "{place}小区整体办不了产权证",
        "想问一下不动产登记要带什么",
    )),
    ("140401", "gjj", (
        "公积金提取要什么手续", "公积金想取出来交房租怎么弄", "离职了公积金能不能全取出来",
        "提取公积金一直审核不通过",
    )),
    ("150203", "yjj", (
        "{place}有人从楼上拉电线给电动车充电", "{place}楼道里停满电动车还在充电", "{place}有人把电瓶推进电梯带回家充",
        "{place}飞线充电太危险了",
    )),
    ("150301", "swj", (
        "{place}一下雨就淹，积水没过膝盖", "{place}排水不畅，路上全是水", "{place}下水道堵了，雨水排不出去",
        "{place}每次下大雨都内涝",
    )),
]  # fmt: skip

UNIT_NAMES = {
    "cgj": "市城市管理局",
    "zjj": "市住房和城乡建设局",
    "sthj": "市生态环境局",
    "gaj": "市公安局",
    "jtj": "市交通运输局",
    "scj": "市市场监督管理局",
    "rsj": "市人力资源和社会保障局",
    "jyj": "市教育局",
    "wjw": "市卫生健康委员会",
    "ybj": "市医疗保障局",
    "mzj": "市民政局",
    "water": "市供水公司",
    "power": "市供电公司",
    "gas": "市燃气公司",
    "heat": "市热力公司",
    "zrzy": "市自然资源和规划局",
    "gjj": "市住房公积金管理中心",
    "yjj": "市应急管理局",
}


def history(
    *, per_category: int = 12, seed: int = 7, unit_ids: dict[str, int] | None = None
) -> list[Example]:
    """Examples with text, category and (when `unit_ids` maps keys to units) the unit."""
    rng = random.Random(seed)
    examples = []
    for code, unit_key, phrasings in CORPUS:
        for _ in range(per_category):
            place = rng.choice(PLACES)
            text = (
                rng.choice(OPENERS).format(place=place)
                + rng.choice(phrasings).format(place=place)
                + ("，" if rng.random() < 0.5 else "。")
                + rng.choice(CLOSINGS)
            )
            examples.append(
                Example(
                    text=text,
                    category_code=code,
                    region_id=None,
                    request_type="complaint",
                    unit_id=(unit_ids or {}).get(unit_key),
                )
            )
    rng.shuffle(examples)
    return examples
