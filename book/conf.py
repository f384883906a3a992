# Sphinx configuration of the llmbook HTML book (Debian's python3-sphinx, -nbsphinx, -myst-parser,
# -sphinx-book-theme). Built by ./llmbook book through book/build.py.
project = "llmbook: how large language models work, built in Java"
author = "the llmbook authors"
extensions = ["myst_parser", "nbsphinx"]
source_suffix = {".md": "markdown"}  # nbsphinx adds .ipynb itself
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
# The notebooks are executed by ./llmbook (book/execute.py) before the build; never again here.
nbsphinx_execute = "never"
nbsphinx_allow_errors = False
# Java cells: highlight them as Java even though the notebook's language_info says "java" only.
nbsphinx_codecell_lexer = "java"
highlight_language = "text"  # Markdown code blocks without a language are shell or output
html_theme = "sphinx_book_theme"
html_title = "llmbook"
html_theme_options = {"home_page_in_toc": True}
suppress_warnings = ["myst.header"]
