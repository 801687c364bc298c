"""The demo's people: the operator, shop owners and buyers with addresses.

Every demo account except the operator uses the password ``emporia-demo``.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN_EMAIL = "admin@emporia.test"
ADMIN_PASSWORD = "emporia-admin"
SELLER_EMAIL = "seller@emporia.test"
BUYER_EMAIL = "buyer@emporia.test"
DEMO_PASSWORD = "emporia-demo"


@dataclass(frozen=True)
class Person:
    key: str
    display_name: str
    email: str | None = None
    mobile: str | None = None
    address: dict | None = None


# Shop owners (the operator owns the self-operated store).
OWNERS: tuple[Person, ...] = (
    Person("seller", "云裳旗舰店 · 林店长", email=SELLER_EMAIL),
    Person("soundjoy", "声悦数码 · 运营", email="soundjoy@emporia.test"),
    Person("sakuraya", "樱屋 · 佐藤", email="sakuraya@emporia.test"),
    Person("apo", "阿婆的茶园 · 阿婆", email="apo-tea@emporia.test"),
    Person("xiaolin", "小林手作 · 小林", email="xiaolin@emporia.test"),
)


def _address(recipient, phone, province, city, district, line1, postcode):
    return {
        "recipient": recipient,
        "phone": phone,
        "country": "CN",
        "province": province,
        "city": city,
        "district": district,
        "line1": line1,
        "postcode": postcode,
    }


BUYERS: tuple[Person, ...] = (
    Person(
        "buyer",
        "小满",
        email=BUYER_EMAIL,
        address=_address(
            "王小满",
            "13800138001",
            "上海市",
            "上海市",
            "徐汇区",
            "漕溪北路 88 号 12 楼 1203 室",
            "200030",
        ),
    ),
    Person(
        "chen",
        "陈思远",
        email="chen.siyuan@emporia.test",
        address=_address(
            "陈思远",
            "13911020233",
            "北京市",
            "北京市",
            "海淀区",
            "中关村大街 27 号 3 单元 601",
            "100080",
        ),
    ),
    Person(
        "li",
        "李婉清",
        mobile="13622220345",
        address=_address(
            "李婉清",
            "13622220345",
            "广东省",
            "广州市",
            "天河区",
            "珠江新城华夏路 16 号 2802",
            "510623",
        ),
    ),
    Person(
        "zhang",
        "张伟",
        email="zhang.wei@emporia.test",
        address=_address(
            "张伟",
            "15828280456",
            "四川省",
            "成都市",
            "武侯区",
            "天府大道北段 1700 号 5 栋 902",
            "610041",
        ),
    ),
    Person(
        "liu",
        "刘洋",
        mobile="18667670567",
        address=_address(
            "刘洋",
            "18667670567",
            "浙江省",
            "杭州市",
            "西湖区",
            "文三路 478 号 华星时代广场 A 座 1506",
            "310013",
        ),
    ),
    Person(
        "zhao",
        "赵敏",
        email="zhao.min@emporia.test",
        address=_address(
            "赵敏",
            "13707170678",
            "湖北省",
            "武汉市",
            "洪山区",
            "珞喻路 1037 号 东区 7 栋",
            "430074",
        ),
    ),
    Person(
        "sun",
        "孙浩然",
        email="sun.haoran@emporia.test",
        address=_address(
            "孙浩然",
            "18629290789",
            "陕西省",
            "西安市",
            "雁塔区",
            "科技路 48 号 创业广场 B 座 2203",
            "710065",
        ),
    ),
    Person(
        "zhou",
        "周雨桐",
        mobile="13951510890",
        address=_address(
            "周雨桐",
            "13951510890",
            "江苏省",
            "南京市",
            "鼓楼区",
            "汉中路 2 号 金陵饭店公寓 1108",
            "210005",
        ),
    ),
)
