"""Boolean encodings of the rules (BDD, bitsets) behind proofs and analyses."""
