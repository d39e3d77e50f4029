"""licensecli: deadlines of Chinese telecom business licences, counted in Chinese working days.

The public API is the core, usable without the command line:

    from licensecli import load_license, bundled_license_path
    lic = load_license(bundled_license_path())
"""

from __future__ import annotations

__version__ = "0.1.0"

from licensecli.errors import LicenseCliError
from licensecli.loader import bundled_license_path, load_license, load_licenses
from licensecli.models import License

__all__ = [
    "License",
    "LicenseCliError",
    "__version__",
    "bundled_license_path",
    "load_license",
    "load_licenses",
]
