"""The wagtail.contrib.forms baseline the survey benchmarks compare against.

Installed only by ``site.settings.bench``; never part of the product.
"""
