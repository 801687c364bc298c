"""The demo's catalogue: the category tree and forty products, as plain data.
The loader feeds it to the catalog and inventory services; nothing here
touches the database.

Brands and shops are invented; titles are written the way Taobao and JD
sellers write them (brand, season, key selling points, then the variant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product as cartesian

# -- categories -----------------------------------------------------------------

# (slug, 中文, English, children)
CATEGORIES: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "clothing",
        "服装",
        "Clothing",
        (
            ("dresses", "连衣裙", "Dresses"),
            ("t-shirts", "T恤", "T-shirts"),
            ("coats", "外套", "Coats & Jackets"),
        ),
    ),
    (
        "electronics",
        "数码",
        "Electronics",
        (
            ("headphones", "耳机", "Headphones"),
            ("chargers", "充电配件", "Chargers & Cables"),
            ("wearables", "智能穿戴", "Wearables"),
        ),
    ),
    (
        "food",
        "食品",
        "Food",
        (("tea", "茶叶", "Tea"), ("snacks", "零食", "Snacks")),
    ),
    (
        "home",
        "家居",
        "Home",
        (
            ("tableware", "餐具茶具", "Tableware"),
            ("kitchen", "厨房电器", "Kitchen Appliances"),
            ("bedding", "床品", "Bedding"),
            ("storage", "收纳", "Storage"),
        ),
    ),
    ("beauty", "美妆", "Beauty", (("skincare", "护肤", "Skincare"),)),
)

# -- products -------------------------------------------------------------------

COLOUR, SIZE, CAPACITY = "颜色", "尺码", "容量"


@dataclass(frozen=True)
class ProductData:
    shop: str
    category: str
    code: str
    brand: str
    zh: str
    en: str
    zh_desc: str
    en_desc: str
    price: str
    options: tuple[tuple[str, tuple[str, ...]], ...] = ()
    prices: dict[str, str] = field(default_factory=dict)  # option value → price
    stock: int = 60
    weight: int = 500
    specs: dict = field(default_factory=dict)
    status: str = "listed"

    def skus(self) -> list[dict]:
        """One SKU per combination of option values (at most six)."""
        names = [name for name, _ in self.options]
        combos = list(cartesian(*(values for _, values in self.options))) or [()]
        out = []
        for n, combo in enumerate(combos, start=1):
            price = next(
                (self.prices[v] for v in reversed(combo) if v in self.prices),
                self.price,
            )
            out.append(
                {
                    "code": f"{self.code}-{n:02d}",
                    "attributes": dict(zip(names, combo, strict=True)),
                    "price": price,
                    "currency": "CNY",
                    "weight_grams": self.weight,
                }
            )
        return out

    @property
    def scarce(self) -> bool:
        """Nearly sold out: the demo leaves these alone when placing orders."""
        return self.stock <= 5


P = ProductData

PRODUCTS: tuple[ProductData, ...] = (
    # --- Emporia 自营 -------------------------------------------------------------
    P(
        "emporia-self",
        "headphones",
        "EM-AUR-PRO",
        "极光 Aurora",
        "极光 Aurora Pro 头戴式主动降噪蓝牙耳机 40小时长续航 Hi-Res认证 游戏低延迟",
        "Aurora Pro over-ear noise-cancelling Bluetooth headphones, 40 h battery, "
        "Hi-Res certified",
        "双馈主动降噪，地铁、机舱一键安静；40毫米生物振膜单元，支持LDAC高清传输，"
        "充电10分钟听歌5小时。",
        "Hybrid active noise cancelling quiets trains and cabins at a touch; 40 mm "
        "bio-diaphragm drivers with LDAC, and 5 hours of music from a 10-minute "
        "charge.",
        "899.00",
        ((COLOUR, ("曜石黑", "月光银")),),
        stock=80,
        weight=260,
        specs={"降噪深度": "45dB", "续航": "40小时", "蓝牙版本": "5.3"},
    ),
    P(
        "emporia-self",
        "chargers",
        "EM-GAN65",
        "Emporia优选",
        "Emporia优选 65W氮化镓三口快充充电器 PD快充 兼容笔记本平板手机 可折叠插脚",
        "Emporia Select 65W GaN 3-port fast charger, USB-C PD, for laptops, "
        "tablets and phones",
        "2C1A三口输出，单口65W可为轻薄本满速充电；氮化镓芯片体积小发热低，"
        "折叠插脚出差好收纳。",
        "Two USB-C and one USB-A port; 65 W on one port charges a thin laptop at "
        "full speed. GaN keeps it small and cool, and the pins fold away for "
        "travel.",
        "129.00",
        ((COLOUR, ("白色", "黑色")),),
        stock=150,
        weight=120,
    ),
    P(
        "emporia-self",
        "chargers",
        "EM-CABLE",
        "Emporia优选",
        "Emporia优选 USB-C双头编织数据线 240W快充 E-marker芯片 耐弯折",
        "Emporia Select braided USB-C to USB-C cable, 240W fast charging, "
        "E-marker chip",
        "航空级编织外被，实验室弯折三万次不断；内置E-marker芯片，最高240W，"
        "笔记本、手机、平板一根全搞定。",
        "Aviation-grade braiding survives 30,000 bends in the lab; an E-marker "
        "chip allows up to 240 W for laptops, phones and tablets alike.",
        "29.90",
        (("长度", ("1米", "2米")), (COLOUR, ("白色", "黑色"))),
        prices={"2米": "39.90"},
        stock=200,
        weight=60,
    ),
    P(
        "emporia-self",
        "wearables",
        "EM-AUR-W3",
        "极光 Aurora",
        "极光 Aurora Watch S3 智能手表 血氧心率睡眠监测 NFC公交门禁 14天续航",
        "Aurora Watch S3 smartwatch, SpO2, heart rate and sleep tracking, NFC, "
        "14-day battery",
        "1.43英寸AMOLED高清屏，全天候心率血氧监测，100+运动模式；NFC刷公交、"
        "开门禁，一次充电用两周。",
        "A 1.43-inch AMOLED screen, all-day heart rate and SpO2, 100+ sports "
        "modes; NFC for transit and door cards, two weeks on a charge.",
        "1299.00",
        ((COLOUR, ("星夜黑", "雾粉")), ("表带", ("氟橡胶", "真皮"))),
        prices={"真皮": "1399.00"},
        stock=40,
        weight=90,
    ),
    P(
        "emporia-self",
        "tea",
        "EM-LONGJING",
        "湖畔",
        "湖畔 西湖龙井 2025年明前特级 绿茶 礼盒装 春茶新茶",
        "Lakeside West Lake Longjing 2025 pre-Qingming special grade green tea, "
        "gift box",
        "核心产区明前采摘，一芽一叶，手工炒制，豆花香清幽，汤色嫩绿明亮。",
        "Picked before Qingming in the core growing area, one bud and one leaf, "
        "pan-fired by hand: a delicate chestnut aroma and a bright green liquor.",
        "368.00",
        ((CAPACITY, ("125g", "250g")),),
        prices={"250g": "699.00"},
        stock=60,
        weight=400,
        specs={"产地": "浙江杭州", "保质期": "18个月"},
    ),
    P(
        "emporia-self",
        "snacks",
        "EM-NUTS",
        "Emporia优选",
        "Emporia优选 每日坚果 混合果仁 独立小包 孕妇儿童零食 礼盒装",
        "Emporia Select daily mixed nuts, individually packed, gift box",
        "腰果、巴旦木、榛子、蓝莓干等七种搭配，每袋25克，低温烘焙不添加蔗糖。",
        "Seven kinds including cashews, almonds, hazelnuts and dried blueberries, "
        "25 g a bag, gently roasted with no added sugar.",
        "69.90",
        ((CAPACITY, ("15袋", "30袋")),),
        prices={"30袋": "129.00"},
        stock=300,
        weight=800,
    ),
    P(
        "emporia-self",
        "bedding",
        "EM-SHEETS",
        "Emporia优选",
        "Emporia优选 100支长绒棉床上四件套 纯色贡缎 被套床单枕套 亲肤透气",
        "Emporia Select 100s long-staple cotton 4-piece bedding set, solid sateen",
        "新疆长绒棉100支高密贡缎，丝滑柔软不起球；活性印染，机洗不褪色。",
        "100s Xinjiang long-staple cotton in a dense sateen weave: silky, soft and "
        "pill-free; reactive dyes that survive the washing machine.",
        "459.00",
        ((COLOUR, ("燕麦色", "雾霾蓝", "象牙白")), (SIZE, ("1.5米床", "1.8米床"))),
        prices={"1.8米床": "499.00"},
        stock=35,
        weight=2200,
    ),
    P(
        "emporia-self",
        "storage",
        "EM-BOX66",
        "Emporia优选",
        "Emporia优选 可折叠收纳箱 66L大号 衣物被子整理箱 三只装",
        "Emporia Select foldable storage boxes, 66 L, set of three",
        "加厚PP材质可承重30公斤，不用时折叠只有5厘米厚，带轮可推拉。",
        "Thick PP carries 30 kg and folds flat to 5 cm when empty; with wheels.",
        "89.90",
        ((COLOUR, ("浅灰", "米白")),),
        stock=120,
        weight=3600,
    ),
    P(
        "emporia-self",
        "skincare",
        "EM-SERUM",
        "润颜 Runyan",
        "润颜 玻尿酸补水保湿精华液 修护屏障 敏感肌可用",
        "Runyan hyaluronic acid hydrating serum, barrier repair, for sensitive skin",
        "五重分子玻尿酸层层补水，搭配积雪草修护屏障；无香精无酒精，敏感肌放心用。",
        "Five molecular weights of hyaluronic acid hydrate layer by layer, with "
        "centella to repair the barrier; no fragrance, no alcohol.",
        "199.00",
        ((CAPACITY, ("30ml", "50ml")),),
        prices={"50ml": "299.00"},
        stock=90,
        weight=150,
    ),
    P(
        "emporia-self",
        "skincare",
        "EM-CLEANSER",
        "润颜 Runyan",
        "润颜 氨基酸温和洗面奶 120g 深层清洁控油 男女通用",
        "Runyan amino-acid gentle facial cleanser, 120 g",
        "弱酸性氨基酸配方，泡沫绵密，洗后不紧绷。",
        "A mildly acidic amino-acid formula with a dense lather that leaves no "
        "tightness.",
        "59.90",
        stock=4,
        weight=160,
    ),
    P(
        "emporia-self",
        "kitchen",
        "EM-AIRFRY",
        "极光 Aurora",
        "极光 5.5L可视空气炸锅 家用大容量 无油低脂 智能触控 免翻面",
        "Aurora 5.5 L air fryer with viewing window, touch controls",
        "可视窗口随时看火候，360°热风循环免翻面；不粘涂层内胆可拆洗。",
        "Watch the food through the window; 360° hot air means no turning; the "
        "non-stick basket comes out for washing.",
        "329.00",
        ((COLOUR, ("奶白", "墨绿")),),
        stock=45,
        weight=4800,
    ),
    P(
        "emporia-self",
        "t-shirts",
        "EM-TEE",
        "Emporia优选",
        "Emporia优选 260g重磅纯棉短袖T恤 男女同款 宽松落肩 不透不变形",
        "Emporia Select 260 g heavyweight cotton T-shirt, unisex relaxed fit",
        "260克精梳棉，厚实挺括不透肉，领口罗纹加密，洗后不变形。",
        "260 g combed cotton: thick, opaque and crisp, with a dense rib collar "
        "that keeps its shape.",
        "79.00",
        ((COLOUR, ("白色", "黑色")), (SIZE, ("M", "L", "XL"))),
        stock=100,
        weight=300,
    ),
    # --- 云裳女装旗舰店 (the demo seller) ------------------------------------------
    P(
        "yunshang",
        "dresses",
        "YS-DR-FLORAL",
        "云裳 Yunshang",
        "云裳 法式碎花连衣裙女夏 方领泡泡袖收腰显瘦 中长款茶歇裙",
        "Yunshang French floral tea dress, square neck, puff sleeves, midi",
        "复古方领搭配泡泡袖，高腰线收腰设计拉长比例；雪纺面料轻盈垂坠，"
        "内衬不透，约会度假都好看。",
        "A vintage square neck with puff sleeves and a high waist that lengthens "
        "the silhouette; light, flowing chiffon, fully lined.",
        "239.00",
        ((COLOUR, ("雾霾蓝碎花", "奶油白碎花")), (SIZE, ("S", "M", "L"))),
        stock=40,
        weight=350,
        specs={"面料": "雪纺", "裙长": "中长款", "袖型": "泡泡袖"},
    ),
    P(
        "yunshang",
        "dresses",
        "YS-DR-SILK",
        "云裳 Yunshang",
        "云裳 真丝缎面吊带连衣裙 22姆米桑蚕丝 高级感气质长裙",
        "Yunshang silk satin slip dress, 22 momme mulberry silk, maxi",
        "22姆米重磅桑蚕丝，光泽温润；斜裁工艺自然贴合身形，可单穿可叠搭。",
        "Heavy 22 momme mulberry silk with a soft sheen; bias cut to follow the "
        "body, worn alone or layered.",
        "599.00",
        ((COLOUR, ("香槟色", "墨绿")), (SIZE, ("S", "M"))),
        stock=18,
        weight=250,
        specs={"面料": "100%桑蚕丝"},
    ),
    P(
        "yunshang",
        "dresses",
        "YS-DR-LBD",
        "云裳 Yunshang",
        "云裳 赫本风小黑裙 收腰A字连衣裙 通勤气质 春秋款",
        "Yunshang Hepburn-style little black dress, fitted A-line",
        "经典小黑裙，三醋酸面料垂感好不易皱，通勤与晚宴一条搞定。",
        "The classic little black dress in wrinkle-resistant triacetate: from the "
        "office to dinner.",
        "329.00",
        ((SIZE, ("S", "M", "L", "XL")),),
        stock=30,
        weight=380,
    ),
    P(
        "yunshang",
        "dresses",
        "YS-DR-QIPAO",
        "云裳 Yunshang",
        "云裳 新中式改良旗袍连衣裙 盘扣立领 国风提花 日常可穿",
        "Yunshang modern qipao dress, frog buttons, mandarin collar, jacquard",
        "改良版型去掉开衩的拘束，手工盘扣、暗纹提花，新中式日常也能穿。",
        "A modern cut without the restrictive slit, hand-knotted frog buttons and "
        "a tonal jacquard: the new Chinese style for every day.",
        "459.00",
        ((COLOUR, ("月白", "黛青")), (SIZE, ("S", "M", "L"))),
        stock=2,
        weight=400,
    ),
    P(
        "yunshang",
        "t-shirts",
        "YS-TEE-BASIC",
        "云裳 Yunshang",
        "云裳 纯棉宽松圆领T恤女 短袖 百搭基础款 打底上衣",
        "Yunshang relaxed cotton crew-neck T-shirt, basic",
        "新疆棉精梳纱，柔软透气，宽松版型遮肉显瘦。",
        "Combed Xinjiang cotton, soft and breathable, in a relaxed, flattering fit.",
        "69.00",
        ((COLOUR, ("白色", "黑色", "燕麦色")), (SIZE, ("M", "L"))),
        stock=120,
        weight=220,
    ),
    P(
        "yunshang",
        "t-shirts",
        "YS-TEE-PRINT",
        "云裳 Yunshang",
        "云裳 国潮印花短袖T恤 仙鹤刺绣 宽松半袖",
        "Yunshang crane-embroidered print T-shirt, guochao style",
        "胸前仙鹤刺绣配水墨印花，国潮设计，情侣款也合适。",
        "An embroidered crane over an ink-wash print: guochao style that works "
        "as a matching couple's tee too.",
        "89.00",
        ((SIZE, ("S", "M", "L")),),
        stock=80,
        weight=230,
    ),
    P(
        "yunshang",
        "coats",
        "YS-DOWN",
        "云裳 Yunshang",
        "云裳 轻薄羽绒服女短款 90白鸭绒 立领可收纳 秋冬外套",
        "Yunshang lightweight short down jacket, 90% white duck down",
        "90%白鸭绒填充，蓬松度650+，轻至280克，可收纳进随附小袋。",
        "Filled with 90% white duck down at 650+ fill power, only 280 g, and "
        "packs into its own pouch.",
        "699.00",
        ((COLOUR, ("黑色", "米白")), (SIZE, ("M", "L"))),
        stock=25,
        weight=450,
    ),
    P(
        "yunshang",
        "coats",
        "YS-WOOL",
        "云裳 Yunshang",
        "云裳 双面呢羊毛大衣女 中长款 手工缝制 驼色经典款",
        "Yunshang double-faced wool coat, mid-length, hand-stitched",
        "100%羊毛双面呢，手工缝制无里衬，轻盈保暖。换季下架中。",
        "100% double-faced wool, hand-stitched and unlined, light and warm. Off "
        "season: delisted for now.",
        "1299.00",
        ((SIZE, ("S", "M", "L")),),
        stock=10,
        weight=1200,
        status="delisted",
    ),
    # --- 声悦数码官方旗舰店 --------------------------------------------------------
    P(
        "soundjoy",
        "headphones",
        "SJ-AIR3",
        "声悦 SoundJoy",
        "声悦 Air 3 真无线蓝牙耳机 主动降噪 入耳式 通话降噪 超长续航",
        "SoundJoy Air 3 true wireless earbuds, active noise cancelling",
        "42dB主动降噪，六麦克风通话降噪；单次6小时，配合充电盒30小时。",
        "42 dB active noise cancelling and six microphones for calls; 6 hours per "
        "charge, 30 with the case.",
        "399.00",
        ((COLOUR, ("云白", "曜黑")),),
        stock=150,
        weight=60,
    ),
    P(
        "soundjoy",
        "headphones",
        "SJ-SPORT",
        "声悦 SoundJoy",
        "声悦 Sport 挂耳式运动蓝牙耳机 IPX7防水防汗 跑步健身不掉",
        "SoundJoy Sport ear-hook sports earbuds, IPX7 waterproof",
        "柔性记忆钢丝耳挂，跑跳不掉；IPX7防水，汗水雨水都不怕。",
        "Flexible memory-wire hooks stay put through every stride; IPX7 shrugs "
        "off sweat and rain.",
        "199.00",
        ((COLOUR, ("黑色", "荧光绿")),),
        stock=90,
        weight=50,
    ),
    P(
        "soundjoy",
        "headphones",
        "SJ-STUDIO",
        "声悦 SoundJoy",
        "声悦 Studio 有线头戴式监听耳机 录音混音 专业HIFI",
        "SoundJoy Studio wired monitor headphones for recording and mixing",
        "50毫米钕磁单元，频响平直还原真实；可拆卸线材，3.5/6.35双接口。",
        "50 mm neodymium drivers with a flat, honest response; detachable cable "
        "with 3.5 and 6.35 mm plugs.",
        "599.00",
        stock=30,
        weight=320,
    ),
    P(
        "soundjoy",
        "chargers",
        "SJ-MAGPOWER",
        "声悦 SoundJoy",
        "声悦 磁吸无线充电宝 10000mAh 20W快充 超薄便携 适用苹果手机",
        "SoundJoy magnetic wireless power bank, 10,000 mAh, 20W",
        "磁吸即充，边充边玩不掉落；10000毫安时可为手机充满两次。",
        "Snaps on and charges; stays put while you play. 10,000 mAh fills a "
        "phone twice.",
        "159.00",
        ((COLOUR, ("白色", "薰衣草紫")),),
        stock=110,
        weight=210,
    ),
    P(
        "soundjoy",
        "chargers",
        "SJ-PD20",
        "声悦 SoundJoy",
        "声悦 20W PD快充充电头 USB-C 小巧便携",
        "SoundJoy 20W USB-C PD charger, compact",
        "20W PD协议快充，30分钟充至50%。",
        "20 W USB Power Delivery: 50% in 30 minutes.",
        "39.00",
        stock=250,
        weight=45,
    ),
    P(
        "soundjoy",
        "wearables",
        "SJ-BAND5",
        "声悦 SoundJoy",
        "声悦 Band 5 智能手环 心率血氧监测 50米防水 运动计步",
        "SoundJoy Band 5 fitness band, heart rate and SpO2, 5 ATM",
        "1.1英寸彩屏，24小时心率、血氧与睡眠监测，50米防水，游泳也能戴。",
        "A 1.1-inch colour screen, 24-hour heart rate, SpO2 and sleep tracking; "
        "5 ATM, so swim with it.",
        "229.00",
        ((COLOUR, ("黑色", "樱花粉", "湖蓝")),),
        stock=3,
        weight=40,
    ),
    # --- 樱屋海外旗舰店 (overseas warehouse, Osaka) -------------------------------
    P(
        "sakuraya",
        "tableware",
        "SK-MINO-BOWL",
        "美浓烧 Mino-yaki",
        "日本进口 美浓烧 手绘樱花陶瓷饭碗 家用餐具 4只装",
        "Mino-yaki hand-painted sakura rice bowls from Japan, set of 4",
        "岐阜县美浓烧窑口出品，手绘樱花纹，可进微波炉和洗碗机。",
        "Made in Mino kilns in Gifu with hand-painted cherry blossoms; microwave "
        "and dishwasher safe.",
        "168.00",
        ((COLOUR, ("樱粉", "青蓝")),),
        stock=50,
        weight=1600,
    ),
    P(
        "sakuraya",
        "tableware",
        "SK-ARITA-CUP",
        "有田烧 Arita-yaki",
        "日本进口 有田烧 釉下彩对杯 茶杯礼盒 结婚送礼",
        "Arita-yaki underglaze teacup pair from Japan, gift box",
        "佐贺县有田烧，四百年窑业传承，釉下彩绘不褪色，桐木礼盒装。",
        "Arita ware from Saga, four centuries of kiln tradition; underglaze "
        "painting that never fades, in a paulownia gift box.",
        "268.00",
        stock=20,
        weight=700,
    ),
    P(
        "sakuraya",
        "snacks",
        "SK-COOKIE",
        "白色恋歌 Shiroi Koika",
        "日本进口 北海道白色恋歌 白巧克力夹心饼干 伴手礼",
        "Shiroi Koika Hokkaido white chocolate langue de chat cookies",
        "北海道牛乳制作的白巧克力夹在酥脆猫舌饼之间，日本人气伴手礼。",
        "White chocolate made with Hokkaido milk between crisp langue de chat "
        "biscuits: Japan's favourite souvenir.",
        "98.00",
        ((CAPACITY, ("12枚", "24枚")),),
        prices={"24枚": "178.00"},
        stock=70,
        weight=300,
    ),
    P(
        "sakuraya",
        "tea",
        "SK-MATCHA",
        "宇治 Uji",
        "日本进口 宇治抹茶粉 100g 烘焙冲饮 石磨研磨",
        "Uji matcha powder from Japan, 100 g, stone-ground",
        "京都宇治覆盖栽培碾茶，石磨研磨，色泽翠绿，冲饮烘焙皆宜。",
        "Shade-grown tencha from Uji, Kyoto, stone-ground to a vivid green for "
        "drinking and baking.",
        "128.00",
        stock=60,
        weight=150,
    ),
    P(
        "sakuraya",
        "skincare",
        "SK-LOTION",
        "肌水 Hadamizu",
        "日本进口 肌水玻尿酸化妆水 170ml 补水保湿 爽肤水",
        "Hadamizu hyaluronic lotion from Japan, 170 ml",
        "日本药妆店常年热销，三重玻尿酸保湿，清爽不黏腻。",
        "A Japanese drugstore best seller: triple hyaluronic acid hydration, "
        "light and never sticky.",
        "89.00",
        (("规格", ("清爽型", "滋润型")),),
        stock=80,
        weight=220,
    ),
    P(
        "sakuraya",
        "skincare",
        "SK-SUNSCREEN",
        "肌水 Hadamizu",
        "日本进口 肌水水感防晒霜 SPF50+ PA++++ 50g 清爽不油腻",
        "Hadamizu watery sunscreen SPF50+ PA++++, 50 g",
        "水感质地一抹化水，高倍防晒不闷痘，夏季通勤必备。",
        "A watery texture that melts in: high protection that does not clog, "
        "for summer commutes.",
        "129.00",
        stock=3,
        weight=80,
    ),
    # --- 阿婆的茶园 (individual) ---------------------------------------------------
    P(
        "apo-tea",
        "tea",
        "APO-TGY",
        "阿婆的茶园",
        "安溪铁观音 2025春茶 自家茶园 兰花香 乌龙茶 真空小包",
        "Anxi Tieguanyin oolong, 2025 spring harvest, from our own garden",
        "自家高山茶园，阿婆亲手摇青做青，兰花香馥郁，七泡有余香。",
        "From our own mountain garden, tossed and withered by Grandma's hands: "
        "an orchid aroma that lasts seven infusions.",
        "88.00",
        (("香型", ("清香型", "浓香型")), (CAPACITY, ("250g", "500g"))),
        prices={"500g": "158.00"},
        stock=60,
        weight=600,
    ),
    P(
        "apo-tea",
        "tea",
        "APO-LAPSANG",
        "阿婆的茶园",
        "武夷山正山小种红茶 散装 桂圆香 浓香型 口粮茶",
        "Wuyi Lapsang Souchong black tea, loose leaf",
        "桐木关原料，传统松烟工艺，桂圆干香，汤色红亮。",
        "Leaves from Tongmuguan, smoked over pine the traditional way: a dried "
        "longan sweetness and a bright red liquor.",
        "68.00",
        ((CAPACITY, ("250g", "500g")),),
        prices={"500g": "128.00"},
        stock=80,
        weight=600,
    ),
    P(
        "apo-tea",
        "tea",
        "APO-DHP",
        "阿婆的茶园",
        "武夷岩茶 大红袍 罐装125g 足火焙制 岩韵十足",
        "Wuyi rock tea Da Hong Pao, 125 g tin, fully roasted",
        "炭火足焙，岩骨花香，耐泡回甘。",
        "Fully charcoal-roasted with the mineral 'rock' character, sweet and "
        "long-lasting.",
        "138.00",
        stock=40,
        weight=250,
    ),
    P(
        "apo-tea",
        "tea",
        "APO-WHITE",
        "阿婆的茶园",
        "福鼎白茶 2018年老寿眉 茶饼357g 枣香 可煮可泡",
        "Fuding white tea, 2018 aged Shoumei cake, 357 g",
        "七年陈化寿眉，枣香药香显，煮饮更醇。仅剩最后几饼。",
        "Seven years of ageing bring out dates and herbs; even better boiled. "
        "Only a few cakes left.",
        "238.00",
        stock=3,
        weight=450,
    ),
    # --- 小林手作 (individual, Jingdezhen) -----------------------------------------
    P(
        "xiaolin",
        "tableware",
        "XL-QINGHUA",
        "小林手作",
        "景德镇手工青花瓷主人杯 手绘品茗杯 功夫茶杯 单只",
        "Jingdezhen hand-painted blue-and-white master teacup",
        "手工拉坯，青花料手绘，一杯一画，每只略有不同。",
        "Thrown on the wheel and painted in cobalt by hand: every cup a little "
        "different.",
        "128.00",
        (("款式", ("缠枝莲", "山水")),),
        stock=24,
        weight=180,
    ),
    P(
        "xiaolin",
        "tableware",
        "XL-COFFEE",
        "小林手作",
        "景德镇粗陶咖啡杯碟套装 手捏复古 ins风 拿铁杯",
        "Jingdezhen stoneware coffee cup and saucer, hand-pinched",
        "粗陶泥手捏成型，窑变釉色自然，230ml适合拿铁。",
        "Hand-pinched stoneware with a natural kiln-changed glaze; 230 ml, just "
        "right for a latte.",
        "98.00",
        ((COLOUR, ("燕麦白", "苔藓绿", "焦糖棕")),),
        stock=30,
        weight=450,
    ),
    P(
        "xiaolin",
        "storage",
        "XL-BASKET",
        "小林手作",
        "手工竹编收纳篮 桌面杂物零食收纳筐 田园风",
        "Handwoven bamboo storage basket",
        "老匠人手工竹编，结实耐用，放水果零食杂物都好看。",
        "Woven by an old craftsman: sturdy, and handsome with fruit, snacks or "
        "odds and ends.",
        "39.00",
        (("规格", ("小号", "中号", "大号")),),
        prices={"中号": "59.00", "大号": "79.00"},
        stock=40,
        weight=300,
    ),
    P(
        "xiaolin",
        "tableware",
        "XL-FAIRCUP",
        "小林手作",
        "柴烧粗陶公道杯 匀杯分茶器 新品预售",
        "Wood-fired stoneware fair cup (pitcher for tea), new",
        "柴窑烧制的公道杯，落灰自然成釉。新品拍照中，即将上架。",
        "A tea pitcher from the wood kiln, glazed by falling ash. Being "
        "photographed; coming soon.",
        "158.00",
        stock=8,
        weight=260,
        status="draft",
    ),
)
