"""Small in-repo lists for synthetic customers: surnames, given-name characters, places.

Surnames are the most common ones in mainland China, most frequent first (the order the seed uses to
weight them). District codes are real administrative division codes (GB/T 2260, 行政区划代码): the
first six digits of a resident ID number issued there. Street names are real or plausible for the
district; house numbers are made up by the seed. Nothing here describes a real person.
"""

from __future__ import annotations

from dataclasses import dataclass

SURNAMES: tuple[str, ...] = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏"
    "苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵"
)
"""Ninety of the most common surnames (百家姓 by today's frequency), most common first."""

GIVEN_MALE: tuple[str, ...] = tuple(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文博晨轩泽睿嘉成峰毅"
)
GIVEN_FEMALE: tuple[str, ...] = tuple(
    "芳娜敏静丽艳娟霞秀玲婷雪慧莹倩琳颖欣怡晶洁佳梅红燕萍琪璐雯楠萱涵悦诗梦雨欢岚瑶"
)
GIVEN_EITHER: tuple[str, ...] = tuple("子思一安心晓文嘉宇家明天佳若雨小")
"""Characters common in both boys' and girls' names, used as the first of two."""


@dataclass(frozen=True, slots=True)
class District:
    code: str
    """Six-digit administrative division code (the region part of a resident ID number)."""
    name: str
    streets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class City:
    province: str
    name: str
    districts: tuple[District, ...]
    weight: int = 1
    """Relative share of customers living there."""


def _d(code: str, name: str, streets: str) -> District:
    return District(code, name, tuple(streets.split()))


CITIES: tuple[City, ...] = (
    City(
        "北京市",
        "北京市",
        (
            _d("110101", "东城区", "东长安街 王府井大街 东四北大街 安定门内大街"),
            _d("110102", "西城区", "西长安街 金融大街 西单北大街 德胜门外大街"),
            _d("110105", "朝阳区", "建国路 朝阳北路 望京街 东三环中路 酒仙桥路"),
            _d("110108", "海淀区", "中关村大街 学院路 知春路 海淀大街 上地十街"),
        ),
        weight=4,
    ),
    City(
        "上海市",
        "上海市",
        (
            _d("310101", "黄浦区", "南京东路 淮海中路 西藏中路 中山东一路"),
            _d("310104", "徐汇区", "漕溪北路 虹桥路 肇嘉浜路 龙华中路"),
            _d("310112", "闵行区", "七莘路 沪闵路 莘建路 虹井路"),
            _d("310115", "浦东新区", "世纪大道 张江路 陆家嘴环路 杨高中路 金桥路"),
        ),
        weight=4,
    ),
    City(
        "重庆市",
        "重庆市",
        (
            _d("500103", "渝中区", "民权路 中山三路 大坪正街"),
            _d("500105", "江北区", "建新东路 建新北路 洋河路"),
            _d("500112", "渝北区", "金开大道 新南路 松石北路"),
        ),
        weight=2,
    ),
    City(
        "浙江省",
        "杭州市",
        (
            _d("330102", "上城区", "解放路 清泰街 钱江路 秋涛路"),
            _d("330106", "西湖区", "文三路 文二路 天目山路 教工路 学院路"),
            _d("330108", "滨江区", "江南大道 滨盛路 长河路 网商路"),
            _d("330110", "余杭区", "文一西路 五常大道 良睦路"),
        ),
        weight=3,
    ),
    City(
        "浙江省",
        "宁波市",
        (
            _d("330203", "海曙区", "中山西路 解放南路 药行街"),
            _d("330212", "鄞州区", "天童南路 钱湖北路 四明中路"),
        ),
    ),
    City(
        "浙江省",
        "温州市",
        (
            _d("330302", "鹿城区", "人民路 五马街 车站大道"),
            _d("330304", "瓯海区", "温州大道 瓯海大道 娄桥路"),
        ),
    ),
    City(
        "广东省",
        "广州市",
        (
            _d("440103", "荔湾区", "中山八路 龙津西路 芳村大道"),
            _d("440104", "越秀区", "北京路 东风中路 环市东路 中山五路"),
            _d("440105", "海珠区", "江南大道中 新港西路 工业大道"),
            _d("440106", "天河区", "天河路 体育西路 花城大道 黄埔大道西"),
        ),
        weight=4,
    ),
    City(
        "广东省",
        "深圳市",
        (
            _d("440303", "罗湖区", "深南东路 人民南路 宝安南路"),
            _d("440304", "福田区", "福华路 深南中路 益田路 彩田路"),
            _d("440305", "南山区", "科苑路 南海大道 后海大道 桃园路"),
            _d("440306", "宝安区", "宝安大道 新安六路 创业一路"),
        ),
        weight=4,
    ),
    City(
        "广东省",
        "佛山市",
        (
            _d("440604", "禅城区", "季华路 汾江中路 祖庙路"),
            _d("440606", "顺德区", "德胜东路 德民路 凤山中路"),
        ),
    ),
    City(
        "江苏省",
        "南京市",
        (
            _d("320102", "玄武区", "中山路 珠江路 北京东路 龙蟠路"),
            _d("320104", "秦淮区", "中华路 太平南路 御道街"),
            _d("320106", "鼓楼区", "中山北路 湖南路 汉中门大街"),
        ),
        weight=2,
    ),
    City(
        "江苏省",
        "苏州市",
        (
            _d("320505", "虎丘区", "狮山路 长江路 金山路"),
            _d("320506", "吴中区", "东吴北路 宝带西路 金山路"),
            _d("320508", "姑苏区", "人民路 干将西路 观前街 十全街"),
        ),
        weight=2,
    ),
    City(
        "江苏省",
        "无锡市",
        (
            _d("320213", "梁溪区", "中山路 人民中路 解放南路"),
            _d("320214", "新吴区", "长江路 新华路 锡士路"),
        ),
    ),
    City(
        "四川省",
        "成都市",
        (
            _d("510104", "锦江区", "春熙路 东大街 红星路二段"),
            _d("510105", "青羊区", "人民中路 长顺上街 青华路"),
            _d("510107", "武侯区", "一环路南四段 武侯祠大街 科华北路 人民南路四段"),
            _d("510108", "成华区", "建设路 二环路东二段 府青路"),
        ),
        weight=3,
    ),
    City(
        "四川省",
        "绵阳市",
        (
            _d("510703", "涪城区", "临园路 剑南路 长虹大道"),
            _d("510704", "游仙区", "东津路 游仙路"),
        ),
    ),
    City(
        "湖北省",
        "武汉市",
        (
            _d("420102", "江岸区", "解放大道 沿江大道 中山大道"),
            _d("420106", "武昌区", "中南路 武珞路 中北路 和平大道"),
            _d("420111", "洪山区", "珞喻路 鲁磨路 雄楚大道"),
        ),
        weight=2,
    ),
    City(
        "湖北省",
        "宜昌市",
        (_d("420502", "西陵区", "夷陵大道 东山大道 云集路"),),
    ),
    City(
        "陕西省",
        "西安市",
        (
            _d("610102", "新城区", "解放路 东五路 长乐西路"),
            _d("610104", "莲湖区", "北大街 西大街 劳动南路"),
            _d("610113", "雁塔区", "小寨东路 高新路 雁塔路 科技路"),
        ),
        weight=2,
    ),
    City(
        "山东省",
        "济南市",
        (
            _d("370102", "历下区", "泉城路 经十路 解放路"),
            _d("370103", "市中区", "经四路 纬二路 英雄山路"),
        ),
    ),
    City(
        "山东省",
        "青岛市",
        (
            _d("370202", "市南区", "香港中路 中山路 延安三路"),
            _d("370212", "崂山区", "株洲路 海尔路 松岭路"),
        ),
        weight=2,
    ),
    City(
        "河南省",
        "郑州市",
        (
            _d("410102", "中原区", "中原中路 建设西路 桐柏路"),
            _d("410105", "金水区", "花园路 经三路 农业路 金水路"),
        ),
        weight=2,
    ),
    City(
        "湖南省",
        "长沙市",
        (
            _d("430103", "天心区", "芙蓉中路三段 书院路 劳动西路"),
            _d("430104", "岳麓区", "麓山南路 枫林三路 岳麓大道"),
            _d("430105", "开福区", "湘江中路 芙蓉中路一段 东风路"),
        ),
        weight=2,
    ),
    City(
        "福建省",
        "福州市",
        (
            _d("350102", "鼓楼区", "五四路 杨桥中路 东街"),
            _d("350104", "仓山区", "六一南路 首山路 则徐大道"),
        ),
    ),
    City(
        "福建省",
        "厦门市",
        (
            _d("350203", "思明区", "中山路 厦禾路 湖滨南路 莲前西路"),
            _d("350206", "湖里区", "嘉禾路 湖里大道 枋湖路"),
        ),
        weight=2,
    ),
)

REGION_CODES: dict[str, str] = {
    d.code: f"{c.province}{c.name if c.name != c.province else ''}{d.name}"
    for c in CITIES
    for d in c.districts
}
"""Every district code above → its full name, e.g. ``330106`` → 浙江省杭州市西湖区."""

HOUSING_ESTATES: tuple[str, ...] = (
    "阳光花园",
    "锦绣家园",
    "翠苑",
    "金色家园",
    "绿城桂花园",
    "万科城市花园",
    "滨江花园",
    "世纪新城",
    "和平里小区",
    "碧桂园",
    "保利香槟国际",
    "幸福里",
)

MOBILE_PREFIXES: tuple[str, ...] = tuple(
    f"1{n}"
    for n in (
        30,
        31,
        32,
        33,
        34,
        35,
        36,
        37,
        38,
        39,
        50,
        51,
        52,
        53,
        55,
        56,
        57,
        58,
        59,
        66,
        73,
        76,
        77,
        80,
        81,
        82,
        83,
        85,
        86,
        87,
        88,
        89,
        91,
        98,
        99,
    )
)
"""Mainland mobile number prefixes (号段) of the three carriers."""

CARD_BINS: tuple[str, ...] = ("622202", "621700", "622848", "621661", "622588", "621483", "622262")
"""UnionPay debit card BINs of large banks (ICBC, CCB, ABC, BOC, CMB, CMB, BoCom)."""

EMAIL_DOMAINS: tuple[str, ...] = ("163.com", "126.com", "sina.com", "foxmail.com", "outlook.com")
