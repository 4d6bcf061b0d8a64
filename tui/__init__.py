"""briefing's terminal layer: the ``briefing`` CLI (click) and the Textual reader."""
