package dev.alphaex.merge;

/**
 * One merged run, as one line of {@code ledger.jsonl}: the commit record of a merge. The byte
 * ranges say where the run's rows end in {@code merged.csv} and where its values are in
 * {@code runs.bin}; a restart truncates either file back to the last committed range.
 */
record LedgerEntry(long seq, long index, long run, long combination, String file, String sha256, int rows,
                   long tidyEnd, long binStart, long binEnd, String merged) {
}
