"""Realistic queries for the benchmark: each with the plain term the baselines
(ripgrep, SQLite FTS5) search for, so every engine answers the same question."""

from __future__ import annotations

# (briefing query, baseline term)
QUERIES: list[tuple[str, str]] = [
    # Chinese words
    ("创新", "创新"),
    ("科技", "科技"),
    ("合作", "合作"),
    ("大学", "大学"),
    ("人才", "人才"),
    ("医疗", "医疗"),
    ("产业", "产业"),
    ("高校", "高校"),
    ("基础设施", "基础设施"),
    ("人工智能", "人工智能"),
    ("国际化", "国际化"),
    ("新基建", "新基建"),
    # Arabic words, with clitics
    ("شنتشن", "شنتشن"),
    ("وشنتشن", "وشنتشن"),
    ("قوانغتشو", "قوانغتشو"),
    ("الابتكار", "الابتكار"),
    ("والتكنولوجيا", "والتكنولوجيا"),
    ("التعاون", "التعاون"),
    ("جامعة", "جامعة"),
    ("المدينتين", "المدينتين"),
    ("الصناعة", "الصناعة"),
    ("للعلوم", "للعلوم"),
    # Russian inflections
    ("Чжуншаня", "Чжуншан"),
    ("инновации", "инноваци"),
    ("таланты", "талант"),
    ("специалистов", "специалист"),
    ("выставки", "выставк"),
    ("сотрудничества", "сотрудничеств"),
    ("проектов", "проект"),
    ("города", "город"),
    # German
    ("Kooperation", "Kooperation"),
    ("Innovation", "Innovation"),
    ("Regierung", "Regierung"),
    ("Städte", "Städte"),
    # phrases
    ('"粤港澳大湾区"', "粤港澳大湾区"),
    ('"科技创新"', "科技创新"),
    ('"منطقة الخليج"', "منطقة الخليج"),
    ('"Зона большого залива"', "Зона большого залива"),
    ('"regionalen wissenschaftlichen"', "regionalen wissenschaftlichen"),
    # filters
    ("lang:zh 创新", "创新"),
    ("lang:ar التعاون", "التعاون"),
    ("city:Shenzhen 大学", "大学"),
    ("lang:ru инновации", "инноваци"),
    ("city:Guangzhou 医疗", "医疗"),
    ("kind:turn 广州", "广州"),
    # cross-language expanded names
    ("Shenzhen", "Shenzhen"),
    ("Guangzhou", "Guangzhou"),
    ("Zhongshan", "Zhongshan"),
    ('"Hong Kong"', "Hong Kong"),
    ("Macao", "Macao"),
    ("Liu Wei", "Liu Wei"),
    ("深圳", "深圳"),
    ("Гонконг", "Гонконг"),
    # boolean
    ("创新 AND 人才", "创新"),
    ("شنتشن OR قوانغتشو", "شنتشن"),
    ("大学 NOT 深圳", "大学"),
]

# Search by meaning (``~``): questions an analyst might ask, in several
# languages, and with a filter; the same in every run.
MEANING_QUERIES: list[str] = [
    "~ports cooperating across the bay",
    "~universities working with district governments",
    "~science and technology innovation in Shenzhen and Guangzhou",
    "~talent exchange between Hong Kong and the mainland",
    "~new infrastructure and industrial cooperation",
    "~medical research and hospitals",
    "~the economy of the Greater Bay Area",
    "~港口合作与航运",
    "~高校与政府合作办学",
    "~التعاون العلمي بين المدن",
    "~Zusammenarbeit von Hochschulen und Behörden",
    "~сотрудничество в области инноваций",
    "~ports cooperating across the bay lang:zh",
    "~universities working with district governments lang:ar",
]
