#!/usr/bin/env bash
# The actor dictionaries and the gazetteer are consistent: unique ids, known codes, every
# country in rules/places/countries.tsv, coordinates in range (tests/rules/check_rules_data.py).
set -euo pipefail
python3 "${OLAY_SOURCE_DIR:?}/tests/rules/check_rules_data.py" "$OLAY_SOURCE_DIR/rules"
