"""Write a corpus folder with people the registry has never heard of.

The same story is written in Chinese, English and Arabic (an interview with a
guest list, turns, a quote attribution and the traps: a heading with a colon,
a sentence opener, a source line), plus a Russian report and its English
version with a quote in the genitive. Names come from the caller, so tests can
run it with different people and show nothing is special-cased.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Name:
    zh: str
    en: str
    ar: str


@dataclass(frozen=True)
class Cast:
    guest_a: Name
    guest_b: Name
    official: Name  # quoted, not interviewed
    ru_director: tuple[str, str, str]  # nominative, genitive, English


def write_corpus(root: Path, cast: Cast) -> Path:
    a, b, o = cast.guest_a, cast.guest_b, cast.official
    ru_nom, ru_gen, ru_en = cast.ru_director
    files = {
        "talk_zh.txt": f"""港口数字化圆桌会

发布时间:2026-04-02

本期嘉宾:

全国人大代表、宁德时代副总裁 {a.zh}

复旦大学教授 {b.zh}

谈合作:双港联动释放数据红利

主持人:今年深圳港吞吐量达到3100万标准箱,数据共享从何入手?

{a.zh}:我们在2025年建成了覆盖12个码头的平台,效率提高了17%。

具体而言,平台每天处理4800条船舶数据,为企业节省大量时间。

{b.zh}:香港和深圳的数据标准仍有差异,需要在2027年前完成统一。

主持人:政府层面如何推进?

{b.zh}:我建议设立总额60亿元的专项基金,支持中小港口接入。

深圳市副市长{o.zh}指出,到2028年全市将有35个智慧码头投入使用。

(来源:新华社)
""",
        "talk_en.txt": f"""Port digitalisation round table

Published: 2026-04-02

Guests:

{a.en}, NPC deputy and Vice President of CATL

{b.en}, Professor at Fudan University

On cooperation: linking two ports releases the value of data

Moderator: This year the port of Shenzhen handled 31 million TEU. Where should data sharing start?

{a.en}: In 2025 we completed a platform covering 12 terminals, and efficiency rose by 17%.

In concrete terms, the platform processes 4800 ship records a day and saves companies a great deal of time.

{b.en}: Data standards in Hong Kong and Shenzhen still differ; they must be unified before 2027.

Moderator: How should the government push this forward?

{b.en}: I propose a special fund of 6 billion yuan to help small ports connect.

By 2028 the city will have 35 smart terminals in operation, said {o.en}, vice mayor of Shenzhen.

Source: Xinhua
""",
        "talk_ar.txt": f"""مائدة مستديرة حول رقمنة الموانئ

ضيوف الحلقة:

{a.ar} ، نائب رئيس شركة CATL

{b.ar} ، أستاذ في جامعة فودان

المنسق: تعامل ميناء شنتشن هذا العام مع 31 مليون حاوية. من أين تبدأ مشاركة البيانات؟

{a.ar}: في عام 2025 أكملنا منصة تغطي 12 محطة، وارتفعت الكفاءة بنسبة 17%.

وعلى وجه التحديد، تعالج المنصة 4800 سجل للسفن يوميا وتوفر على الشركات الكثير من الوقت.

{b.ar}: لا تزال معايير البيانات في هونغ كونغ وشنتشن مختلفة، ويجب توحيدها قبل عام 2027.

المنسق: كيف يجب على الحكومة دفع ذلك إلى الأمام؟

{b.ar}: أقترح صندوقا خاصا بقيمة 6 مليارات يوان لمساعدة الموانئ الصغيرة على الاتصال.

وبحلول عام 2028 سيكون في المدينة 35 محطة ذكية قيد التشغيل.
""",
        "port_ru.txt": f"""Порт Шэньчжэня расширяет цифровую платформу

Опубликовано: 2026-04-05

По словам директора порта {ru_gen}, в 2026 году к платформе подключатся 14 новых терминалов.

{ru_nom} подчеркнул, что инвестиции составят 920 миллионов юаней, а срок окупаемости — 6 лет.

ИСТОЧНИК: Синьхуа
""",
        "port_en.txt": f"""Shenzhen port expands its digital platform

Published: 2026-04-05

According to port director {ru_en}, 14 new terminals will join the platform in 2026.

{ru_en} stressed that the investment will amount to 920 million yuan, with a payback period of 6 years.

Source: Xinhua
""",
        "briefing.yaml": """articles:
  - {id: talk_zh, file: talk_zh.txt, lang: zh, translations: [talk_en, talk_ar]}
  - {id: talk_en, file: talk_en.txt, lang: en}
  - {id: talk_ar, file: talk_ar.txt, lang: ar}
  - {id: port_ru, file: port_ru.txt, lang: ru, translations: [port_en]}
  - {id: port_en, file: port_en.txt, lang: en}
""",
    }
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


CASTS = {
    "chen-zhou": Cast(
        Name("陈明", "Chen Ming", "تشن مينغ"),
        Name("周立波", "Zhou Libo", "تشو لي بو"),
        Name("罗晓峰", "Luo Xiaofeng", "لو شياو فنغ"),
        ("Андрей Волков", "Андрея Волкова", "Andrei Volkov"),
    ),
    "huang-lin": Cast(
        Name("黄海涛", "Huang Haitao", "هوانغ هاي تاو"),
        Name("郑晓雯", "Zheng Xiaowen", "تشنغ شياو ون"),
        Name("孙建国", "Sun Jianguo", "سون جيان قوه"),
        ("Ольга Смирнова", "Ольги Смирновой", "Olga Smirnova"),
    ),
}
