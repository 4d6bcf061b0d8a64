"""What Whoosh's index writers may buffer: constants the CLI reads at
start-up, without importing the build."""

# Postings a sub-writer buffers before it spills a sorted run to disk. Whoosh
# counts less than Python spends on them (a sub-writer given 1,024 MB grew to
# 1.25 GB at 10,000 articles, 1.9 GB at 100,000). Measured at 10,000, back to
# back: 1,024 MB gave 117.7 s and a peak over all processes of 3,260 MB RSS
# (2,570 MB PSS); 256 MB gave 145.2 s and 2,037 MB (1,348 MB PSS).
WRITER_MB = 256  # per sub-writer, unless a build is given another (``writer_mb``, ``--writer-memory``)
MIN_WRITER_MB = 32
