#!/bin/sh
# Regenerate the thumbnails of the bundled layouts that the README shows, from the
# example statement. Run from anywhere: docs/thumbnails/regenerate.sh
set -e
cd "$(dirname "$0")/../.."
PYTHONPATH=src "${PYTHON:-python3}" -m handbill layouts --preview docs/thumbnails
