"""Development data and servers: the demo feed server, synthetic data for benches and tests, sample reports.

Nothing in the product imports this package except the `langnghe demo` command; it writes only
through the store's named functions.
"""

from pathlib import Path

# The demo's configuration: the shipped defaults plus the local demo feed server as the only sources.
DEMO_CONFIG_PATH = Path(__file__).with_name("demo.toml")
