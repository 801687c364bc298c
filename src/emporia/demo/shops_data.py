"""The demo's shops: the platform's self-operated store, three brand shops
(one selling from an overseas warehouse) and two individual sellers, each
with its warehouses (real cities and coordinates) and usual carrier."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Warehouse:
    code: str
    name: str
    city: str
    region: str
    latitude: str
    longitude: str
    country: str = "CN"
    kind: str = "warehouse"


@dataclass(frozen=True)
class ShopData:
    key: str
    name: str
    kind: str
    owner: str  # a key of people.OWNERS
    description: str
    warehouses: tuple[Warehouse, ...]
    carrier: str


SHOPS: tuple[ShopData, ...] = (
    ShopData(
        key="emporia-self",
        name="Emporia 自营",
        kind="self_operated",
        owner="operator",
        description=(
            "平台自营：正品行货，自有仓配，北京、上海双仓发货，次日达。\n"
            "Emporia Self-operated: genuine goods from our own warehouses in "
            "Beijing and Shanghai, next-day delivery."
        ),
        warehouses=(
            Warehouse(
                "bj-daxing",
                "北京大兴亚洲一号仓 Beijing Daxing Warehouse",
                "北京市",
                "北京",
                "39.726700",
                "116.341100",
            ),
            Warehouse(
                "sh-jiading",
                "上海嘉定仓 Shanghai Jiading Warehouse",
                "上海市",
                "上海",
                "31.374700",
                "121.265500",
            ),
        ),
        carrier="Emporia物流",
    ),
    ShopData(
        key="yunshang",
        name="云裳女装旗舰店",
        kind="enterprise",
        owner="seller",
        description=(
            "云裳 Yunshang 品牌官方旗舰店，杭州原创设计女装，七天无理由退换。\n"
            "Yunshang's official flagship store: original womenswear designed in "
            "Hangzhou, 7-day no-reason returns."
        ),
        warehouses=(
            Warehouse(
                "hz-yuhang",
                "杭州余杭仓 Hangzhou Yuhang Warehouse",
                "杭州市",
                "浙江省",
                "30.419500",
                "120.300000",
            ),
        ),
        carrier="顺丰速运",
    ),
    ShopData(
        key="soundjoy",
        name="声悦数码官方旗舰店",
        kind="enterprise",
        owner="soundjoy",
        description=(
            "声悦 SoundJoy 官方旗舰店：耳机、充电与智能穿戴，全国联保一年。\n"
            "SoundJoy's official store: headphones, charging and wearables with a "
            "one-year nationwide warranty."
        ),
        warehouses=(
            Warehouse(
                "sz-longhua",
                "深圳龙华仓 Shenzhen Longhua Warehouse",
                "深圳市",
                "广东省",
                "22.656600",
                "114.044300",
            ),
        ),
        carrier="京东物流",
    ),
    ShopData(
        key="sakuraya",
        name="樱屋海外旗舰店",
        kind="enterprise",
        owner="sakuraya",
        description=(
            "樱屋 Sakuraya 跨境直邮：日本大阪海外仓发货，正品保证，含税包邮。\n"
            "Sakuraya Global: shipped from our Osaka overseas warehouse, genuine "
            "Japanese goods, duties included."
        ),
        warehouses=(
            Warehouse(
                "jp-osaka",
                "大阪海外仓 Osaka Overseas Warehouse",
                "大阪市 Osaka",
                "大阪府 Osaka",
                "34.693700",
                "135.502300",
                country="JP",
                kind="overseas",
            ),
        ),
        carrier="EMS国际",
    ),
    ShopData(
        key="apo-tea",
        name="阿婆的茶园",
        kind="individual",
        owner="apo",
        description=(
            "福建安溪自家茶园，三代做茶，春茶秋茶现摘现制。\n"
            "Our family's tea garden in Anxi, Fujian: three generations of tea "
            "makers, picked and made each spring and autumn."
        ),
        warehouses=(
            Warehouse(
                "anxi",
                "安溪茶园发货点 Anxi Tea Garden",
                "泉州市",
                "福建省",
                "25.055300",
                "118.186000",
            ),
        ),
        carrier="中通快递",
    ),
    ShopData(
        key="xiaolin",
        name="小林手作",
        kind="individual",
        owner="xiaolin",
        description=(
            "景德镇独立陶艺工作室，每一件都是手工拉坯、手绘、柴窑烧制。\n"
            "An independent pottery studio in Jingdezhen: every piece thrown, "
            "painted and fired by hand."
        ),
        warehouses=(
            Warehouse(
                "jingdezhen",
                "景德镇工作室 Jingdezhen Studio",
                "景德镇市",
                "江西省",
                "29.268900",
                "117.178400",
            ),
        ),
        carrier="圆通速递",
    ),
)
