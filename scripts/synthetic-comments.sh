#!/usr/bin/env bash
# Prints a synthetic comments CSV (comment_text,labels) of N rows, for running the pipeline where the real sample
# data is absent. Deterministic; includes quoted commas, doubled quotes and line breaks inside fields, as real data has.
set -euo pipefail
rows=${1:-2000}
awk -v rows="$rows" 'BEGIN {
  srand(42)
  split("the article|this edit|your talk page|the source|that paragraph|the citation|my revert|the infobox", subj, "|")
  split("looks fine|needs a reference|was reverted|is not neutral|should be merged|is well written|is outdated", pred, "|")
  split("idiot|stupid|moron|pathetic loser|shut up|garbage person", insult, "|")
  print "comment_text,labels"
  for (i = 1; i <= rows; i++) {
    toxic = (rand() < 0.1)
    text = subj[int(rand() * 8) + 1] " " pred[int(rand() * 7) + 1]
    if (toxic) text = "you " insult[int(rand() * 6) + 1] ", " text
    if (rand() < 0.2) text = text ", thanks"
    if (rand() < 0.1) text = text "\nSecond line of comment " i
    if (rand() < 0.1) text = text " (see \"\"WP:NPOV\"\")"
    printf "\"%s\",%d\n", text, toxic
  }
}'
