"""Files installed with the application (icons; later fonts and translations).

The folder lives at the top of the repository and is installed as the package
``citypartner_desktop.resources`` (see ``[tool.setuptools.package-dir]`` in pyproject.toml).
"""
