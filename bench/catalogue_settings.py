"""Server settings for the catalogue benchmark: the project's settings, plus a URLconf that adds the
raw-SQL baseline view, and a rate limit high enough not to refuse the load generator."""

from credence.settings import *  # noqa: F403

ROOT_URLCONF = "bench.catalogue_urls"
CATALOGUE_API_RATE = "100000000/minute"
