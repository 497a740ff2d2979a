"""PDF engine for transcripts: plain Python (WeasyPrint, qrcode, jdatetime), no Django imports.

`render_transcript(content, ...)` turns the transcript's data (a JSON-able dict built by the
selectors) into PDF bytes; being free of Django it also runs in a process pool for batches.
"""

from .transcript import TranscriptRender, render_job, render_many, render_transcript, transcript_html

__all__ = ["TranscriptRender", "render_job", "render_many", "render_transcript", "transcript_html"]
