"""A loop setting under its floor is refused at load (round 29); the refusal quotes the value as the file has it
(ux36: «refresh_seconds = 1» was refused as «không phải 1.0», which is not what staff typed, and a dot in a Vietnamese
sentence reads as a thousands separator)."""

from __future__ import annotations

import pytest

from vocab import config as C


@pytest.mark.parametrize("toml,said", [
    ("[dashboard]\nrefresh_seconds = 1\n", "[dashboard] refresh_seconds phải từ 5 trở lên, không phải 1"),
    ("[dashboard]\nrefresh_seconds = 0.5\n", "[dashboard] refresh_seconds phải từ 5 trở lên, không phải 0.5"),
    ("[storage]\nsnapshot_every_minutes = 0.25\n",
     "[storage] snapshot_every_minutes phải là 0 (tắt) hoặc từ 1 trở lên, không phải 0.25"),
    ("[limits]\nmax_entries = 0\n", "[limits] max_entries phải từ 1 đến 100000, không phải 0"),
    # %g's six digits said «1» for 1.0000001, under a floor it seemed to meet (review29b)
    ("[dashboard]\nrefresh_seconds = 4.9999999\n", "[dashboard] refresh_seconds phải từ 5 trở lên, không phải 4.9999999"),
])
def test_a_refused_number_is_quoted_as_typed(tmp_path, toml, said):
    p = tmp_path / "o.toml"
    p.write_text(toml, encoding="utf-8")
    with pytest.raises(C.ConfigError) as err:
        C.load(p)
    assert str(err.value).endswith(said), str(err.value)
