"""briefing's corpus layer: files in, frozen articles out.

Reads a folder of texts (and an optional manifest), decodes them, splits and
classifies paragraphs, and finds speakers and cities using the curated YAML
knowledge in ``corpus/knowledge``. Imports neither Whoosh nor Textual.

The names below are imported when first used (PEP 562), so that a caller
that needs one light module (``corpus.yamlio``) does not load the parser,
the aligner and numpy with it: ``briefing --version`` stays instant.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .lazy import lazy_exports

BUNDLED_DIR = Path(str(resources.files(__name__) / "bundled"))  # the five bundled articles

_WHERE = {
    "Knowledge": "knowledge",
    "load_knowledge": "knowledge",
    "Corpus": "loader",
    "load_corpus": "loader",
    "Article": "models",
    "ArticleInfo": "models",
    "City": "models",
    "Kind": "models",
    "Paragraph": "models",
    "Person": "models",
    "Skipped": "models",
    "ConfigError": "yamlio",
}

__all__ = [
    "Article",
    "ArticleInfo",
    "BUNDLED_DIR",
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

if TYPE_CHECKING:
    from .knowledge import Knowledge, load_knowledge
    from .loader import Corpus, load_corpus
    from .models import Article, ArticleInfo, City, Kind, Paragraph, Person, Skipped
    from .yamlio import ConfigError


__getattr__ = lazy_exports(__name__, _WHERE)
