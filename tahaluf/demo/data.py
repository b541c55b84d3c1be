"""The demo data: every organization and person named in the five seed texts (see
docs and ../shared/seeds/README.md), in Arabic and English, with the facts the seeds give.

Pure data, no Django: tahaluf/demo/loader.py turns it into records through the services.

Rules this file follows:
- Nothing the seeds do not name. Facts that are only numbers ("150+ municipalities") are kept
  in DECLARED_FIGURES, with their quote, for the issues that add networks and events.
- Every fact is cited: a short quote copied word for word from the seed text, with the
  field it supports (a model field name) or "" for the record as a whole. A record has at most
  one citation per (source, field): the database allows no more.
- Names the seeds give but that are deliberately not records are listed, with the reason,
  in NOT_LOADED.
- `external_id` is "seed-<file number>-<slug>", the file being the first seed that names the
  record. Never change one: re-running the loader matches records by it.
"""

from __future__ import annotations

from typing import Any

# Sources ---------------------------------------------------------------------------------

# One per seed file. `title` is the article's headline; seed 000 has none (the scrape starts
# with the body), so its first sentence stands in. `publisher` is the news site the text
# names. `published_on` is an ISO date, only where the text dates the article.
SOURCES: list[dict[str, Any]] = [
    {
        "external_id": "seed-000",
        "file": "000_c52deb64389e2c21.txt",
        "title": "وقعت مؤسسة ماعت للسلام والتنمية وحقوق الإنسان بمصر، بروتوكول تعاون مع "
        "الاتحاد العام للمراكز الثقافية بفلسطين",
        "publisher": "",
        "published_on": None,
    },
    {
        "external_id": "seed-001",
        "file": "001_54b40226c47508d6.txt",
        "title": "المجلس الوطني لحقوق الإنسان ودائرة حقوق الإنسان في منظمة التحرير الفلسطينية "
        "يوقعان بروتوكول تعاون",
        "publisher": "تنوير",
        "published_on": None,
    },
    {
        "external_id": "seed-002",
        "file": "002_7a58a20d9b15885a.txt",
        "title": "التحالف من أجل السلام في الشرق الأوسط (منظمة غير حكومية)",
        "publisher": "ويكيبيديا",
        "published_on": None,
    },
    {
        "external_id": "seed-003",
        "file": "003_c669c228d0f12d3d.txt",
        "title": "ورشة حول المبادئ العامة للشراكة بين القطاع الحكومي والمجتمع المدني",
        "publisher": "معا",
        # "نشر بتاريخ: 06/06/2024"; the 23/12/2024 at the top is the day the page was read.
        "published_on": "2024-06-06",
    },
    {
        "external_id": "seed-004",
        "file": "004_4b446affbf09323b.txt",
        "title": '"مؤتمر الهيئات" يقر تشكيل شبكة دولية للتضامن مع شعبنا',
        "publisher": "وكالة الحرية الاخبارية",
        # "اختتم أعماله مساء اليوم السبت" in 2014: a weekday, not a date.
        "published_on": None,
    },
]


def cite(source: str, quote: str, field: str = "") -> dict[str, str]:
    """A citation of `source` (a SOURCES external_id) for `field` ("" = the whole record)."""
    return {"source": source, "field": field, "quote": quote}


# Focus areas -----------------------------------------------------------------------------

FOCUS_AREAS: list[dict[str, str]] = [
    {"key": "human_rights", "name_ar": "حقوق الإنسان", "name_en": "Human rights"},
    {"key": "peace", "name_ar": "السلام", "name_en": "Peace"},
    {"key": "development", "name_ar": "التنمية", "name_en": "Development"},
    {"key": "culture", "name_ar": "الثقافة", "name_en": "Culture"},
    {"key": "civil_society", "name_ar": "المجتمع المدني", "name_en": "Civil society"},
    {
        "key": "coexistence",
        "name_ar": "التعايش والمصالحة",
        "name_en": "Coexistence and reconciliation",
    },
    {"key": "conflict_management", "name_ar": "إدارة النزاعات", "name_en": "Conflict management"},
    {"key": "local_government", "name_ar": "الحكم المحلي", "name_en": "Local government"},
    {"key": "youth", "name_ar": "الشباب", "name_en": "Youth"},
    {"key": "women", "name_ar": "المرأة", "name_en": "Women"},
    {"key": "refugees", "name_ar": "اللاجئون", "name_en": "Refugees"},
    {"key": "disability", "name_ar": "الإعاقة", "name_en": "Disability"},
    {"key": "charity", "name_ar": "العمل الخيري", "name_en": "Charitable work"},
]


# Organizations ---------------------------------------------------------------------------

ORGANIZATIONS: list[dict[str, Any]] = [
    # --- seed 000: Maat and the General Union of Cultural Centers sign a protocol ----------
    {
        "external_id": "seed-000-maat",
        "name_ar": "مؤسسة ماعت للسلام والتنمية وحقوق الإنسان",
        "name_en": "Maat Foundation for Peace, Development and Human Rights",
        "other_names": ["ماعت", "Maat", "Ma'at"],
        "kind": "ngo",
        "country": "EG",
        "focus_areas": ["peace", "development", "human_rights"],
        "citations": [
            cite(
                "seed-000",
                "وقعت مؤسسة ماعت للسلام والتنمية وحقوق الإنسان بمصر، بروتوكول تعاون "
                "مع الاتحاد العام للمراكز الثقافية بفلسطين",
            ),
            cite("seed-000", "مؤسسة ماعت للسلام والتنمية وحقوق الإنسان بمصر", "country"),
            cite("seed-000", 'في سياق اتفاق "ماعت" والاتحاد العام للمراكز الثقافية', "other_names"),
        ],
    },
    {
        "external_id": "seed-000-gucc",
        "name_ar": "الاتحاد العام للمراكز الثقافية",
        "name_en": "General Union of Cultural Centers",
        # The seed spells it both ways in one article, and shortens it once.
        "other_names": ["الاتحاد العام للمراكز للثقافية", "الاتحاد العام للمراكز"],
        "kind": "union",
        "country": "PS",
        "city": "قطاع غزة",
        "founded_year": 1997,
        "member_count": 55,
        "member_count_at_least": False,
        "partner_count": 120,
        "partner_count_at_least": True,
        "description_ar": "مؤسسة أهلية مستقلة، تأسس في العام 1997 كاتحاد نوعي بمبادرة من عدة "
        "مراكز ثقافية ذات خبرة عريقة في المجال الثقافي. يسعى الاتحاد الى توفير ملتقى ابداعي "
        "فريد يمكن المثقفين والفنانين من العمل على بلورة وصياغة هوية ثقافية فلسطينية تسهم "
        "ايجابا في عمليات التغيير الاجتماعي والسياسي في فلسطين.",
        "description_en": "An independent civil-society organization, founded in 1997 as a "
        "specialised union on the initiative of several cultural centres with long experience "
        "in the field of culture. The union seeks to offer a unique creative meeting place "
        "where intellectuals and artists can shape a Palestinian cultural identity that "
        "contributes to social and political change in Palestine.",
        "focus_areas": ["culture", "peace"],
        "citations": [
            cite("seed-000", "بروتوكول تعاون مع الاتحاد العام للمراكز الثقافية بفلسطين"),
            cite("seed-000", "الاتحاد العام للمراكز الثقافية بفلسطين", "country"),
            cite("seed-000", "تأسس في العام 1997 كاتحاد نوعي بمبادرة من عدة مراكز ثقافية", "kind"),
            cite("seed-000", "تأسس في العام 1997", "founded_year"),
            cite(
                "seed-000",
                "من شبكة من الاعضاء بلغت 55 مؤسسة ومركز ثقافي منتشرة في محافظات قطاع غزة",
                "member_count",
            ),
            cite("seed-000", "إضافة الى اكثر من 120 مؤسسة شريكة", "partner_count"),
            cite("seed-000", "منتشرة في محافظات قطاع غزة", "city"),
            cite("seed-000", "ويتكون الاتحاد العام للمراكز للثقافية", "other_names"),
            cite(
                "seed-000",
                "وهو مؤسسة أهلية مستقلة، تأسس في العام 1997 كاتحاد نوعي بمبادرة "
                "من عدة مراكز ثقافية ذات خبرة عريقة في المجال الثقافي. يسعى الاتحاد الى توفير "
                "ملتقى ابداعي فريد",
                "description_ar",
            ),
        ],
    },
    {
        "external_id": "seed-000-united-nations",
        "name_ar": "الأمم المتحدة",
        "name_en": "United Nations",
        "acronym": "UN",
        "other_names": ["الأممالمتحدة"],  # glued by the scrape in seed 000
        "kind": "international",
        "citations": [
            cite("seed-000", "عقد المؤتمر التأسيسي للتحالف بمقر الأممالمتحدة بجنيف"),
            cite("seed-000", "بمقر الأممالمتحدة بجنيف", "other_names"),
            cite("seed-001", "ورصد التشريعات والإجراءات ذات الصلة للأمم المتحدة"),
            cite("seed-004", "قرار الجمعية العامة للأمم المتحدة باعتماد عام 2014 عاما للتضامن"),
        ],
    },
    {
        "external_id": "seed-000-un-general-assembly",
        "name_ar": "الجمعية العامة للأمم المتحدة",
        "name_en": "United Nations General Assembly",
        "kind": "international",
        "citations": [
            cite(
                "seed-000",
                "مجموعة الاتفاقيات والعهود الحقوقية التي اعتمدتها الجمعية العامة "
                "للأمم المتحدة تباعا",
            ),
            cite(
                "seed-004",
                "استنادا إلى قرار الجمعية العامة للأمم المتحدة باعتماد عام 2014 "
                "عاما للتضامن مع حقوق وتطلعات الشعب الفلسطيني",
            ),
        ],
    },
    # --- seed 001: CNDH (Morocco) and the PLO's human-rights department -------------------
    {
        "external_id": "seed-001-cndh",
        "name_ar": "المجلس الوطني لحقوق الإنسان",
        "name_en": "National Council for Human Rights",
        "acronym": "CNDH",
        "other_names": ["Conseil national des droits de l'Homme", "National Human Rights Council"],
        "kind": "nhri",
        "country": "MA",
        "focus_areas": ["human_rights"],
        "citations": [
            cite(
                "seed-001",
                "وقع المجلس الوطني لحقوق الإنسان ودائرة حقوق الإنسان في منظمة "
                "التحرير الفلسطينية بروتوكول تعاون لبناء القدرات ودعم العمل في مجال حقوق "
                "الإنسان",
            ),
            cite(
                "seed-001",
                "التزام المجلس الوطني لحقوق الإنسان، بصفته مؤسسة دستورية وطنية مستقلة",
                "kind",
            ),
            cite("seed-001", "وبروتوكول التعاون المغربي الفلسطيني", "country"),
        ],
    },
    {
        "external_id": "seed-001-plo-human-rights-department",
        "name_ar": "دائرة حقوق الإنسان والمجتمع المدني في منظمة التحرير الفلسطينية",
        "name_en": "Department of Human Rights and Civil Society, Palestine Liberation "
        "Organization",
        "other_names": ["دائرة حقوق الإنسان في منظمة التحرير الفلسطينية"],
        # The PLO's departments work as the ministries of the Palestinian people's
        # representative body (seed 003: "الممثل الشرعي والوحيد"), hence "government".
        "kind": "government",
        "country": "PS",
        "focus_areas": ["human_rights", "civil_society"],
        "citations": [
            cite(
                "seed-001",
                "نظم هذه الدورة المجلس الوطني لحقوق الإنسان لفائدة أعضاء دائرة "
                "حقوق الإنسان والمجتمع المدني في منظمة التحرير الفلسطينية",
            ),
            cite(
                "seed-001",
                "ودائرة حقوق الإنسان في منظمة التحرير الفلسطينية يوقعان بروتوكول تعاون",
                "other_names",
            ),
        ],
    },
    {
        "external_id": "seed-001-plo",
        "name_ar": "منظمة التحرير الفلسطينية",
        "name_en": "Palestine Liberation Organization",
        "acronym": "PLO",
        "kind": "government",
        "country": "PS",
        "citations": [
            cite(
                "seed-001",
                "وفد من ممثلي الأحزاب السياسية وحقوق الإنسان في منظمة التحرير الفلسطينية",
            ),
            cite(
                "seed-003", "بقيادة منظمة التحرير الفلسطينية الممثل الشرعي والوحيد للشعب الفلسطيني"
            ),
        ],
    },
    # --- seed 002: the Alliance for Middle East Peace (Wikipedia) -------------------------
    {
        "external_id": "seed-002-allmep",
        "name_ar": "التحالف من أجل السلام في الشرق الأوسط",
        "name_en": "Alliance for Middle East Peace",
        "acronym": "ALLMEP",
        "kind": "ngo",  # the article's title says "(منظمة غير حكومية)"
        "country": "US",
        "city": "واشنطن",
        "founded_year": 2006,  # formally; informal coalition since late 2003
        "member_count": 90,
        "member_count_at_least": True,
        "description_ar": "مجموعة تضم أكثر من 90 منظمة غير حكومية تعمل على تعزيز المصالحة بين "
        "الإسرائيليين والفلسطينيين، وبين العرب واليهود في الشرق الأوسط. يشمل أعضاؤها مجموعة "
        "واسعة من المجموعات، بما في ذلك مجموعات التعايش الأصيلة، والمجموعات الأكاديمية، "
        "ومؤسسات التنمية الاجتماعية والاقتصادية.",
        "description_en": "A coalition of more than 90 NGOs that promote reconciliation between "
        "Israelis and Palestinians, and between Arabs and Jews in the Middle East. Its members "
        "range from grassroots coexistence groups to academic groups and social and economic "
        "development organizations.",
        "focus_areas": ["peace", "coexistence"],
        "citations": [
            cite(
                "seed-002",
                "التحالف من أجل السلام في الشرق الأوسط (بالإنجليزية: Alliance for "
                "Middle East Peace)(ALLMEP) هو مجموعة تضم أكثر من 90 منظمة غير حكومية",
            ),
            cite("seed-002", "(بالإنجليزية: Alliance for Middle East Peace)", "name_en"),
            cite("seed-002", "(ALLMEP)", "acronym"),
            cite("seed-002", "التحالف من أجل السلام في الشرق الأوسط (منظمة غير حكومية)", "kind"),
            cite("seed-002", "هو مجموعة تضم أكثر من 90 منظمة غير حكومية", "member_count"),
            cite("seed-002", "تأسس التحالف رسميًا في عام 2006", "founded_year"),
            cite("seed-002", "تستضيف التحالف حدثًا سنويًا في واشنطن", "city"),
            cite("seed-002", "أمنت دعوة التحالف الأولية في واشنطن", "country"),
            cite(
                "seed-002",
                "تعمل على تعزيز المصالحة بين الإسرائيليين والفلسطينيين، وبين العرب "
                "واليهود في الشرق الأوسط",
                "description_ar",
            ),
        ],
    },
    {
        "external_id": "seed-002-usaid",
        "name_ar": "الوكالة الأمريكية للتنمية الدولية",
        "name_en": "United States Agency for International Development",
        "acronym": "USAID",
        "kind": "government",
        "country": "US",
        "focus_areas": ["development"],
        "citations": [
            cite(
                "seed-002",
                "التق التحالف بمسؤولين بالوكالة الأمريكية للتنمية الدولية ووزارة الخارجية",
            ),
        ],
    },
    {
        "external_id": "seed-002-usaid-conflict-management-office",
        "name_ar": "مكتب إدارة النزاعات والتخفيف في الوكالة الأمريكية للتنمية الدولية",
        "name_en": "Office of Conflict Management and Mitigation, USAID",
        "other_names": ["مكتب إدارة النزاعات والتخفيف"],
        "kind": "government",
        "country": "US",
        "focus_areas": ["conflict_management"],
        "citations": [
            cite(
                "seed-002",
                "أمنت دعوة التحالف الأولية في واشنطن الأموال المخصصة لهذه المنظمات "
                "داخل مكتب إدارة النزاعات والتخفيف في الوكالة الأمريكية للتنمية الدولية",
            ),
        ],
    },
    {
        "external_id": "seed-002-us-state-department",
        "name_ar": "وزارة الخارجية الأمريكية",
        "name_en": "United States Department of State",
        "other_names": ["وزارة الخارجية", "US State Department"],
        "kind": "government",
        "country": "US",
        "citations": [
            cite("seed-002", "ومسؤولين في وزارة الخارجية"),
        ],
    },
    {
        "external_id": "seed-002-us-congress",
        "name_ar": "الكونغرس الأمريكي",
        "name_en": "United States Congress",
        "other_names": ["الكونغرس", "الكونجرس"],  # the article spells it both ways
        "kind": "government",
        "country": "US",
        "citations": [
            cite("seed-002", "اجتمع أعضاء أيضًا مع أكثر من 30 مكتبًا للكونجرس"),
            cite("seed-002", "وأعضاء في الكونغرس", "other_names"),
        ],
    },
    {
        "external_id": "seed-002-white-house",
        "name_ar": "البيت الأبيض",
        "name_en": "The White House",
        "kind": "government",
        "country": "US",
        "citations": [
            cite(
                "seed-002",
                "التقى أعضاء القمة من التحالف مع أعضاء الكونغرس ووزارة الخارجية "
                "والوكالة الأمريكية للتنمية الدولية والبيت الأبيض",
            ),
        ],
    },
    {
        "external_id": "seed-002-international-fund-for-ireland",
        "name_ar": "الصندوق الدولي لأيرلندا",
        "name_en": "International Fund for Ireland",
        "kind": "fund",
        "focus_areas": ["peace"],
        "citations": [
            cite(
                "seed-002",
                "على غرار الصندوق الدولي لأيرلندا والذي لعب دورًا بارزًا في إيجاد "
                "حل مستدام في أيرلندا الشمالية",
            ),
        ],
    },
    {
        "external_id": "seed-002-just-vision",
        "name_ar": "جست فيجن",
        "name_en": "Just Vision",
        "kind": "ngo",
        "citations": [
            cite("seed-002", "كما التقى ممثلو التحالف وجست فيجن بأكثر من 37 مكتبًا للكونجرس"),
        ],
    },
    {
        # Named as the seed names it ("for the Middle East"); the person it names there is
        # Philip Wilcox.
        "external_id": "seed-002-washington-institute",
        "name_ar": "معهد واشنطن للشرق الأوسط",
        "name_en": "Washington Institute for the Middle East",
        "other_names": ["Washington Institute", "معهد واشنطن"],
        "kind": "academic",
        "country": "US",
        "city": "واشنطن",
        "citations": [
            cite("seed-002", "السفير الأمريكي السابق فيليب ويلكوكس من معهد واشنطن للشرق الأوسط"),
        ],
    },
    {
        "external_id": "seed-002-european-union",
        "name_ar": "الاتحاد الأوروبي",
        "name_en": "European Union",
        "acronym": "EU",
        "kind": "international",
        "citations": [
            cite("seed-002", "وسفير لوكسمبورغ (أثناء رئاسة الاتحاد الأوروبي)"),
        ],
    },
    # --- seed 003: the Ramallah workshop of Palestinian civil-society unions and networks -
    # The two conveners, then the fourteen participants in the article's order.
    {
        "external_id": "seed-003-general-union-of-palestinian-ngos",
        "name_ar": "الاتحاد العام للمنظمات الأهلية الفلسطينية",
        "name_en": "General Union of Palestinian NGOs",
        "other_names": ["الاتحاد العام للمنظمات الأهلية"],
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society"],
        "citations": [
            cite(
                "seed-003",
                "بدعوة من الاتحاد العام للمنظمات الأهلية الفلسطينية والمجلس "
                "التنسيقي للعمل الأهلي الفلسطيني",
            ),
            cite(
                "seed-003",
                "الدكتور باسم التميمي رئيس الاتحاد العام للمنظمات الأهلية",
                "other_names",
            ),
        ],
    },
    {
        "external_id": "seed-003-coordinating-council-for-palestinian-ngo-work",
        "name_ar": "المجلس التنسيقي للعمل الأهلي الفلسطيني",
        "name_en": "Coordinating Council for Palestinian NGO Work",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society"],
        "citations": [
            cite(
                "seed-003",
                "بدعوة من الاتحاد العام للمنظمات الأهلية الفلسطينية والمجلس "
                "التنسيقي للعمل الأهلي الفلسطيني",
            ),
        ],
    },
    {
        "external_id": "seed-003-palestinian-ngos-network",
        "name_ar": "شبكة المنظمات الأهلية",
        "name_en": "Palestinian NGOs Network",
        "other_names": ["شبكة المنظمات الأهلية الفلسطينية"],
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society"],
        "citations": [
            cite(
                "seed-003",
                "بمشاركة الاتحاد العام للمنظمات الأهلية الفلسطينية، وشبكة المنظمات الأهلية",
            )
        ],
    },
    {
        "external_id": "seed-003-national-institute-for-ngos",
        "name_ar": "الهيئة الوطنية للمؤسسات الأهلية",
        "name_en": "Palestinian National Institute for NGOs",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society"],
        "citations": [cite("seed-003", "والهيئة الوطنية للمؤسسات الأهلية")],
    },
    {
        "external_id": "seed-003-national-union-of-ngos",
        "name_ar": "الاتحاد الوطني للمؤسسات الأهلية",
        "name_en": "National Union of NGOs",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society"],
        "citations": [cite("seed-003", "والاتحاد الوطني للمؤسسات الأهلية")],
    },
    {
        "external_id": "seed-003-union-of-palestinian-youth-associations",
        "name_ar": "اتحاد الجمعيات الشبابية الفلسطينية الأهلية",
        "name_en": "Union of Palestinian Youth Associations",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society", "youth"],
        "citations": [cite("seed-003", "واتحاد الجمعيات الشبابية الفلسطينية الأهلية")],
    },
    {
        "external_id": "seed-003-palestinian-union-of-the-deaf",
        "name_ar": "الاتحاد الفلسطيني للصم",
        "name_en": "Palestinian Union of the Deaf",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society", "disability"],
        "citations": [cite("seed-003", "والاتحاد الفلسطيني للصم")],
    },
    {
        "external_id": "seed-003-union-of-charitable-societies-jerusalem",
        "name_ar": "اتحاد الجمعيات الخيرية لمحافظة القدس",
        "name_en": "Union of Charitable Societies of Jerusalem Governorate",
        "kind": "union",
        "country": "PS",
        "city": "القدس",
        "focus_areas": ["civil_society", "charity"],
        "citations": [
            cite("seed-003", "واتحاد الجمعيات الخيرية لمحافظة القدس"),
            cite("seed-003", "لمحافظة القدس", "city"),
        ],
    },
    {
        "external_id": "seed-003-union-of-charitable-societies-hebron",
        "name_ar": "اتحاد الجمعيات الخيرية لمحافظة الخليل",
        "name_en": "Union of Charitable Societies of Hebron Governorate",
        "kind": "union",
        "country": "PS",
        "city": "الخليل",
        "focus_areas": ["civil_society", "charity"],
        "citations": [
            cite("seed-003", "واتحاد الجمعيات الخيرية لمحافظة الخليل"),
            cite("seed-003", "لمحافظة الخليل", "city"),
        ],
    },
    {
        "external_id": "seed-003-watan-union-gaza",
        "name_ar": "اتحاد وطن للمؤسسات الأهلية الفلسطينية في قطاع غزة",
        "name_en": "Watan Union of Palestinian NGOs in the Gaza Strip",
        "other_names": ["اتحاد وطن"],
        "kind": "union",
        "country": "PS",
        "city": "قطاع غزة",
        "focus_areas": ["civil_society"],
        "citations": [
            cite("seed-003", "واتحاد وطن للمؤسسات الأهلية الفلسطينية في قطاع غزة"),
            cite("seed-003", "في قطاع غزة", "city"),
        ],
    },
    {
        "external_id": "seed-003-union-of-youth-social-centers-in-refugee-camps",
        "name_ar": "اتحاد مراكز الشباب الاجتماعية في مخيمات اللاجئين",
        "name_en": "Union of Youth Social Centers in the Refugee Camps",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society", "youth", "refugees"],
        "citations": [cite("seed-003", "واتحاد مراكز الشباب الاجتماعية في مخيمات اللاجئين")],
    },
    {
        # Not the General Union of Cultural Centers of seed 000: another name, another union
        # as far as the seeds tell. Search's duplicate finder may still propose them.
        "external_id": "seed-003-union-of-cultural-associations-and-centers",
        "name_ar": "اتحاد الجمعيات والمراكز الثقافية",
        "name_en": "Union of Cultural Associations and Centers",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society", "culture"],
        "citations": [cite("seed-003", "واتحاد الجمعيات والمراكز الثقافية")],
    },
    {
        "external_id": "seed-003-union-of-charitable-societies-north",
        "name_ar": "اتحاد الجمعيات الخيرية لمحافظات الشمال",
        "name_en": "Union of Charitable Societies of the Northern Governorates",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society", "charity"],
        "citations": [cite("seed-003", "واتحاد الجمعيات الخيرية لمحافظات الشمال")],
    },
    {
        "external_id": "seed-003-palestinian-general-union-of-charitable-societies",
        "name_ar": "الاتحاد العام الفلسطيني للجمعيات الخيرية",
        "name_en": "Palestinian General Union of Charitable Societies",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society", "charity"],
        "citations": [cite("seed-003", "والاتحاد العام الفلسطيني للجمعيات الخيرية")],
    },
    {
        "external_id": "seed-003-union-of-womens-centers-in-refugee-camps",
        "name_ar": "اتحاد مراكز المرأة في مخيمات اللاجئين",
        "name_en": "Union of Women's Centers in the Refugee Camps",
        "kind": "union",
        "country": "PS",
        "focus_areas": ["civil_society", "women", "refugees"],
        "citations": [cite("seed-003", "واتحاد مراكز المرأة في مخيمات اللاجئين")],
    },
    # --- seed 004: the International Conference of Local Authorities, Ramallah 2014 -------
    # No municipality is named (only "أكثر من 150 بلدية": see DECLARED_FIGURES).
    {
        "external_id": "seed-004-ministry-of-local-government",
        "name_ar": "وزارة الحكم المحلي الفلسطينية",
        "name_en": "Palestinian Ministry of Local Government",
        "other_names": ["وزارة الحكم المحلي"],
        "kind": "government",
        "country": "PS",
        "focus_areas": ["local_government"],
        "citations": [
            cite(
                "seed-004", "كما أوصوا بمجموعة من التوصيات يتم رفعها لوزارة الحكم المحلي الفلسطينية"
            ),
        ],
    },
    {
        "external_id": "seed-004-un-security-council",
        "name_ar": "مجلس الأمن الدولي",
        "name_en": "United Nations Security Council",
        "other_names": ["مجلس الأمن"],
        "kind": "international",
        "citations": [
            cite("seed-004", "في جهودها للتوجه إلى مجلس الأمن الدولي، لإنهاء الاحتلال"),
        ],
    },
]

# The fourteen unions and networks that took part in the Ramallah workshop (seed 003), in
# the article's order. The first is also one of the two conveners.
RAMALLAH_WORKSHOP_PARTICIPANTS: list[str] = [
    "seed-003-general-union-of-palestinian-ngos",
    "seed-003-palestinian-ngos-network",
    "seed-003-national-institute-for-ngos",
    "seed-003-national-union-of-ngos",
    "seed-003-union-of-palestinian-youth-associations",
    "seed-003-palestinian-union-of-the-deaf",
    "seed-003-union-of-charitable-societies-jerusalem",
    "seed-003-union-of-charitable-societies-hebron",
    "seed-003-watan-union-gaza",
    "seed-003-union-of-youth-social-centers-in-refugee-camps",
    "seed-003-union-of-cultural-associations-and-centers",
    "seed-003-union-of-charitable-societies-north",
    "seed-003-palestinian-general-union-of-charitable-societies",
    "seed-003-union-of-womens-centers-in-refugee-camps",
]
RAMALLAH_WORKSHOP_CONVENERS: list[str] = [
    "seed-003-general-union-of-palestinian-ngos",
    "seed-003-coordinating-council-for-palestinian-ngo-work",
]


# People ----------------------------------------------------------------------------------

PEOPLE: list[dict[str, Any]] = [
    {
        "external_id": "seed-000-ayman-okeil",
        "name_ar": "أيمن عقيل",
        "name_en": "Ayman Okeil",
        "citations": [cite("seed-000", "قال أيمن عقيل رئيس مؤسسة ماعت")],
    },
    {
        "external_id": "seed-000-yousri-darwish",
        "name_ar": "يسري درويش",
        "name_en": "Yousri Darwish",
        "citations": [cite("seed-000", "قال يسري درويش رئيس الاتحاد العام للمراكز")],
    },
    {
        "external_id": "seed-001-amina-bouayach",
        "name_ar": "أمينة بوعياش",
        "name_en": "Amina Bouayach",
        "citations": [
            cite("seed-001", "التي ترأستها أمينة بوعياش، رئيسة المجلس الوطني لحقوق الإنسان"),
        ],
    },
    {
        "external_id": "seed-001-ahmed-saeed-al-tamimi",
        "name_ar": "أحمد سعيد التميمي",
        "name_en": "Ahmed Saeed Al-Tamimi",
        "honorific_ar": "السيد",
        "honorific_en": "Mr.",
        "citations": [
            cite(
                "seed-001",
                "والسيد أحمد سعيد التميمي، رئيس دائرة حقوق الإنسان والمجتمع المدني "
                "في منظمة التحرير الفلسطينية",
            ),
            cite("seed-001", "والسيد أحمد سعيد التميمي", "honorific_ar"),
        ],
    },
    {
        # The article's author (byline "أحمد رباص – تنوير").
        "external_id": "seed-001-ahmed-rabbas",
        "name_ar": "أحمد رباص",
        "name_en": "Ahmed Rabbas",
        "citations": [cite("seed-001", "أحمد رباص – تنوير")],
    },
    # Seed 002: the panel of ALLMEP's June 2005 conference in Washington. The seed gives
    # their posts but names no organization for them, except Philip Wilcox's institute; the
    # quote on each person keeps the post.
    {
        "external_id": "seed-002-hazem-fahmy",
        "name_ar": "حازم فهمي",
        "name_en": "Hazem Fahmy",
        "honorific_ar": "السفير",
        "honorific_en": "Ambassador",
        "citations": [
            cite("seed-002", "حلقة نقاش للسفير المصري حازم فهمي"),
            cite("seed-002", "للسفير المصري حازم فهمي", "honorific_ar"),
        ],
    },
    {
        "external_id": "seed-002-firas-bin-raad",
        "name_ar": "فراس بن رعد",
        "name_en": "Firas bin Raad",
        "other_names": ["Feras bin Raad"],
        "honorific_ar": "الأمير",
        "honorific_en": "Prince",
        "citations": [
            cite("seed-002", "والأمير الأردني فراس بن رعد"),
            cite("seed-002", "والأمير الأردني", "honorific_ar"),
        ],
    },
    {
        "external_id": "seed-002-hasan-abdel-rahman",
        "name_ar": "حسن عبد الرحمن",
        "name_en": "Hasan Abdel Rahman",
        "citations": [cite("seed-002", "والممثل الرئيسي الفلسطيني حسن عبد الرحمن")],
    },
    {
        "external_id": "seed-002-arlette-conzemius-paccoud",
        "name_ar": "أرليت كونزيميوس باكود",
        "name_en": "Arlette Conzemius-Paccoud",
        "honorific_ar": "السفيرة",
        "honorific_en": "Ambassador",
        "citations": [
            cite(
                "seed-002", "وسفير لوكسمبورغ (أثناء رئاسة الاتحاد الأوروبي) أرليت كونزيميوس باكود"
            ),
            cite("seed-002", "وسفير لوكسمبورغ", "honorific_ar"),
        ],
    },
    {
        "external_id": "seed-002-philip-wilcox",
        "name_ar": "فيليب ويلكوكس",
        "name_en": "Philip Wilcox",
        "honorific_ar": "السفير",
        "honorific_en": "Ambassador",
        "citations": [
            cite("seed-002", "والسفير الأمريكي السابق فيليب ويلكوكس من معهد واشنطن للشرق الأوسط"),
            cite("seed-002", "والسفير الأمريكي السابق", "honorific_ar"),
        ],
    },
    {
        "external_id": "seed-003-bassem-al-tamimi",
        "name_ar": "باسم التميمي",
        "name_en": "Bassem Al-Tamimi",
        "honorific_ar": "د.",
        "honorific_en": "Dr.",
        "citations": [
            cite(
                "seed-003",
                "وافتتح ورشة النقاش الدكتور باسم التميمي رئيس الاتحاد العام للمنظمات الأهلية",
            ),
            cite("seed-003", "الدكتور باسم التميمي", "honorific_ar"),
        ],
    },
    {
        "external_id": "seed-004-mahmoud-abbas",
        "name_ar": "محمود عباس",
        "name_en": "Mahmoud Abbas",
        "honorific_ar": "الرئيس",
        "honorific_en": "President",
        "citations": [
            cite("seed-004", "مواقف القيادة الفلسطينية، بقيادة الرئيس محمود عباس"),
            cite("seed-004", "بقيادة الرئيس محمود عباس", "honorific_ar"),
        ],
    },
    {
        "external_id": "seed-004-yasser-arafat",
        "name_ar": "ياسر عرفات",
        "name_en": "Yasser Arafat",
        "honorific_ar": "الرئيس الشهيد",
        "honorific_en": "The late President",
        "citations": [
            cite("seed-004", "إلى ضريح الرئيس الشهيد ياسر عرفات"),
            cite("seed-004", "ضريح الرئيس الشهيد ياسر عرفات", "honorific_ar"),
        ],
    },
]


# Positions: a person holds a post in an organization. The seeds date none of them.

POSITIONS: list[dict[str, Any]] = [
    {
        "person": "seed-000-ayman-okeil",
        "organization": "seed-000-maat",
        "title_ar": "رئيس",
        "title_en": "President",
        "citations": [cite("seed-000", "قال أيمن عقيل رئيس مؤسسة ماعت")],
    },
    {
        "person": "seed-000-yousri-darwish",
        "organization": "seed-000-gucc",
        "title_ar": "رئيس",
        "title_en": "President",
        "citations": [cite("seed-000", "قال يسري درويش رئيس الاتحاد العام للمراكز")],
    },
    {
        "person": "seed-001-amina-bouayach",
        "organization": "seed-001-cndh",
        "title_ar": "رئيسة",
        "title_en": "President",
        "citations": [cite("seed-001", "أمينة بوعياش، رئيسة المجلس الوطني لحقوق الإنسان")],
    },
    {
        "person": "seed-001-ahmed-saeed-al-tamimi",
        "organization": "seed-001-plo-human-rights-department",
        "title_ar": "رئيس الدائرة",
        "title_en": "Head of the Department",
        "citations": [
            cite(
                "seed-001",
                "أحمد سعيد التميمي، رئيس دائرة حقوق الإنسان والمجتمع المدني في "
                "منظمة التحرير الفلسطينية",
            ),
        ],
    },
    {
        "person": "seed-003-bassem-al-tamimi",
        "organization": "seed-003-general-union-of-palestinian-ngos",
        "title_ar": "رئيس",
        "title_en": "President",
        "citations": [
            cite("seed-003", "الدكتور باسم التميمي رئيس الاتحاد العام للمنظمات الأهلية"),
        ],
    },
]


# Union memberships: none. No seed says that one named organization is a member of another
# named union: the General Union of Cultural Centers' 55 member centres, ALLMEP's members and
# seed 004's unions of local authorities are counted, not named (see DECLARED_FIGURES), and
# the fourteen unions of seed 003 took part in a workshop, which is not membership.
# The loader still handles entries of the form
#   {"union": "<external_id>", "member": "<external_id>", "start_date": None,
#    "end_date": None, "citations": [...]}
UNION_MEMBERSHIPS: list[dict[str, Any]] = []


# Demo users ------------------------------------------------------------------------------

DEMO_USERS: list[dict[str, Any]] = [
    {"username": "amal", "role": "secretariat", "organization": None},
    {"username": "badr", "role": "editor", "organization": "seed-000-gucc"},
    {"username": "carim", "role": "editor", "organization": "seed-000-maat"},
    {"username": "dina", "role": "viewer", "organization": None},
]


# Declared figures ------------------------------------------------------------------------

# Facts that are only numbers. Kept here, with their quote, for the issues that add networks
# and events (growth curves, participants, advocacy coverage); no record is made up to match
# them. `subject` is the external_id of the record the figure is about, where there is one;
# `on` is the date or period it holds for (ISO, as precise as the seed is).
DECLARED_FIGURES: list[dict[str, Any]] = [
    {
        "key": "seed-000-maat-protocol-countries",
        "source": "seed-000",
        "subject": "seed-000-maat",
        "what_en": "Countries of the NGOs with which Maat is signing bilateral cooperation "
        "protocols, toward the International Alliance for Peace and Development",
        "value": 16,
        # "في عدة دول منها": "in several countries, among them" these sixteen.
        "at_least": True,
        "unit": "countries",
        "on": "2017",
        "countries": [
            "TN",
            "JO",
            "ES",
            "CH",
            "AT",
            "GR",
            "IT",
            "US",
            "MA",
            "LB",
            "KW",
            "YE",
            "SD",
            "SE",
            "PS",
            "IQ",
        ],
        "quote": "مع عدد من المنظمات غير الحكومية في عدة دول منها تونس، الاردن، إسبانيا، سويسرا، "
        "النمسا، اليونان، إيطاليا، الولاياتالمتحدةالأمريكية، المغرب، لبنان، الكويت، اليمن، "
        "السودان، السويد، فلسطين، والعراق",
    },
    {
        "key": "seed-001-training-course-length",
        "source": "seed-001",
        "subject": "seed-001-cndh",
        "what_en": "Length of the training course CNDH organized for members of the PLO "
        "department before the protocol was signed",
        "value": 1,
        "at_least": False,
        "unit": "weeks",
        "on": None,
        "quote": "واندرجت هذه الدورة، التي استمرت أسبوعا",
    },
    {
        "key": "seed-002-allmep-members-2004",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "ALLMEP member organizations",
        "value": 14,
        "at_least": False,
        "unit": "organizations",
        "on": "2004",
        "quote": "ونمى 14 منظمة في عام 2004",
    },
    {
        "key": "seed-002-allmep-members-2005",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "ALLMEP member organizations",
        "value": 27,
        "at_least": False,
        "unit": "organizations",
        "on": "2005",
        "quote": "إلى 27 في عام 2005",
    },
    {
        "key": "seed-002-allmep-members-2007",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "ALLMEP member organizations",
        "value": 44,
        "at_least": False,
        "unit": "organizations",
        "on": "2007",
        "quote": "و 44 منظمة في عام 2007",
    },
    {
        "key": "seed-002-allmep-members-2016",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "ALLMEP member organizations, after three new members joined",
        "value": 97,
        "at_least": False,
        "unit": "organizations",
        "on": "2016-08-18",
        "quote": "ALLMEP adds 3 new members, bringing coalition to 97, ALLMEP news, Thursday, "
        "18 August 2016",
    },
    {
        "key": "seed-002-allmep-conference-2005-participants",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "Participants in ALLMEP's summer conference on coexistence in Washington, "
        "June 2005, with diplomats from these countries",
        "value": 250,
        "at_least": True,
        "unit": "people",
        "on": "2005-06",
        "countries": ["TN", "YE", "SE", "SA", "AF"],
        "quote": "شارك أكثر من 250 شخصًا، بمن فيهم دبلوماسيون من تونس واليمن والسويد والمملكة "
        "العربية السعودية وأفغانستان",
    },
    {
        "key": "seed-002-allmep-congress-offices-2005",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "Congressional offices ALLMEP members met at the time of the June 2005 "
        "conference",
        "value": 30,
        "at_least": True,
        "unit": "congressional offices",
        "on": "2005-06",
        "quote": "اجتمع أعضاء أيضًا مع أكثر من 30 مكتبًا للكونجرس",
    },
    {
        "key": "seed-002-allmep-congress-offices-2006",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "Congressional offices ALLMEP and Just Vision representatives met around the "
        "screening of the documentary Encounter Point, March 2006",
        "value": 37,
        "at_least": True,
        "unit": "congressional offices",
        "on": "2006-03",
        "quote": "كما التقى ممثلو التحالف وجست فيجن بأكثر من 37 مكتبًا للكونجرس",
    },
    {
        "key": "seed-002-allmep-congress-offices-share-2009",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "Share of congressional offices ALLMEP met in 2009",
        "value": 10,
        "at_least": True,
        "unit": "percent of congressional offices",
        "on": "2009",
        "quote": "واجتمع مع أكثر من 10% من مكاتب الكونغرس",
    },
    {
        "key": "seed-002-allmep-meetings-2009-vs-2008",
        "source": "seed-002",
        "subject": "seed-002-allmep",
        "what_en": "ALLMEP's meetings in 2009 compared with 2008 (doubled)",
        "value": 2,
        "at_least": False,
        "unit": "times the 2008 number",
        "on": "2009",
        "quote": "ضاعف التحالف عدد اجتماعاته في عام 2009 مقارنة بعام 2008",
    },
    {
        "key": "seed-003-ramallah-workshop-unions",
        "source": "seed-003",
        "subject": None,
        "what_en": "Unions and networks of Palestinian civil society at the Ramallah workshop "
        "of 6 June 2024 (counted from the article's list; the text states no number)",
        "value": 14,
        "at_least": False,
        "unit": "unions and networks",
        "on": "2024-06-06",
        "records": RAMALLAH_WORKSHOP_PARTICIPANTS,
        "quote": "نفذت اتحادات وشبكات المجتمع المدني ورشة نقاش",
    },
    {
        "key": "seed-004-conference-municipalities",
        "source": "seed-004",
        "subject": None,
        "what_en": "Municipalities from around the world at the International Conference of "
        "Local Authorities, Ramallah, 2014",
        "value": 150,
        "at_least": True,
        "unit": "municipalities",
        "on": "2014",
        "quote": "وشارك في أعمال المؤتمر أكثر من 150 بلدية",
    },
    {
        "key": "seed-004-conference-palestinian-local-authorities",
        "source": "seed-004",
        "subject": None,
        "what_en": "Palestinian local authorities at the International Conference of Local "
        "Authorities, Ramallah, 2014",
        "value": 300,
        "at_least": True,
        "unit": "local authorities",
        "on": "2014",
        "quote": "شاركت أكثر من 300 هيئة محلية فلسطينية في أعمال المؤتمر",
    },
    {
        "key": "seed-004-conference-continents",
        "source": "seed-004",
        "subject": None,
        "what_en": "Continents the conference's participants came from",
        "value": 5,
        "at_least": False,
        "unit": "continents",
        "on": "2014",
        "quote": "من مختلف دول العالم ومن قاراته الخمس",
    },
]


# Named but not loaded as organizations or people -----------------------------------------

# Each with the reason, so that nobody "fixes" the omission by inventing a record.
NOT_LOADED: list[dict[str, str]] = [
    {
        "source": "seed-000",
        "name": "التحالف الدولي للسلام والتنمية",
        "reason": "a network to be founded (International Alliance for Peace and Development): "
        "for the networks issue, with its founding conference at the UN in Geneva, Q1 2018",
    },
    {
        "source": "seed-001",
        "name": "الدورة التدريبية",
        "reason": "the one-week training course before the protocol: an event, for the events "
        "issue",
    },
    {
        "source": "seed-002",
        "name": "صندوق دولي للسلام الإسرائيلي الفلسطيني",
        "reason": "a fund ALLMEP proposes; it does not exist",
    },
    {
        "source": "seed-002",
        "name": "نقطة احتكاك",
        "reason": "a documentary film (Encounter Point), not an organization",
    },
    {
        "source": "seed-002",
        "name": "جامعة ستانفورد، Common Ground News Service, Michael M. Cohen, واي باك مشين",
        "reason": "authors and publishers in Wikipedia's reference list, which the seeds' README "
        "counts as boilerplate (the 2016 membership figure from it is kept in DECLARED_FIGURES)",
    },
    {
        "source": "seed-003",
        "name": "لجنة صياغة وثيقة المبادئ العامة للشراكة",
        "reason": "the drafting committee the workshop decided to form: for the consultations "
        "issue",
    },
    {
        "source": "seed-004",
        "name": "الشبكة الدولية لدعم الهيئات المحلية الفلسطينية",
        "reason": "a network (International Network for Supporting Palestinian Local "
        "Authorities): for the networks issue, with its permanent secretariat",
    },
    {
        "source": "seed-004",
        "name": "المؤتمر الدولي للهيئات المحلية",
        "reason": "the conference itself: an event, for the events issue",
    },
    {
        "source": "seed-004",
        "name": "news ticker",
        "reason": "the page opens with an unrelated news ticker (Trump, Erdogan, Sisi, Netanyahu, "
        "Guterres, Jasper Jeffers, Shaath, checkpoints and villages…): nothing from it is loaded",
    },
    {
        "source": "seed-001 seed-003 seed-004",
        "name": "تنوير، معا، وكالة الحرية الاخبارية",
        "reason": "the news sites that published the seeds: each is its source's publisher",
    },
    {
        "source": "seed-002 seed-004",
        "name": "إسرائيل، مصر، الأردن، لوكسمبورغ…",
        "reason": "states, not organizations",
    },
]
