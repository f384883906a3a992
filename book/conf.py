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
# Offline: no CDN. MathJax 2 from Debian's libjs-mathjax, copied into _static/mathjax by build.py;
# the config is TeX-AMS_CHTML (HTML output, no web fonts needed beyond the bundled woff). A non-empty
# mathjax2_config makes Sphinx load MathJax 2 (nbsphinx adds its tex2jax settings to it).
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_CHTML"
mathjax2_config = {"showMathMenu": False, "messageStyle": "none"}
# nbsphinx would load require.js from a CDN for widget outputs; the notebooks have none.
nbsphinx_requirejs_path = ""
# A favicon of its own: without one every page load logs a 404 for /favicon.ico.
html_favicon = "favicon.svg"
