# Planted-violation generator: writes a per-query CSV log of a simulated recall model.
#   awk -v model=honest|cache -v seqs=S -v pairs=N -v vocab=V -v bits=B -v seed=K -f planted_log.awk
# honest: the state keeps floor(B / log2 V) values exactly and guesses the rest uniformly;
# cache:  a cache that grows with N answers every query (recall beyond the declared B bits).
BEGIN {
  srand(seed);
  kept = int(bits / (log(vocab) / log(2)));
  print "sequence,position,true,predicted";
  for (s = 0; s < seqs; s++)
    for (q = 0; q < pairs; q++) {
      value = int(rand() * vocab);
      answer = (model == "cache" || q < kept) ? value : int(rand() * vocab);
      print s "," q "," value "," answer;
    }
}
