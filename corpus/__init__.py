"""briefing's corpus layer: files in, frozen articles out.

Reads a folder of texts (and an optional manifest), decodes them, splits and
classifies paragraphs, and finds speakers and cities using the curated YAML
knowledge in ``corpus/knowledge``. Imports neither Whoosh nor Textual.
"""

from .knowledge import Knowledge, load_knowledge
from .loader import BUNDLED_DIR, Corpus, load_corpus
from .models import Article, ArticleInfo, City, Kind, Paragraph, Person, Skipped
from .yamlio import ConfigError

__all__ = [
    "BUNDLED_DIR",
    "Article",
    "ArticleInfo",
    "City",
    "ConfigError",
    "Corpus",
    "Kind",
    "Knowledge",
    "Paragraph",
    "Person",
    "Skipped",
    "load_corpus",
    "load_knowledge",
]
