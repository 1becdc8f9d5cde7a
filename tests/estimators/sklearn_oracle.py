"""Writes data and scikit-learn's k-NN MI estimates (nats) for the oracle test.

  sklearn_oracle.py DIR   -> DIR/{x,y,labels,z}.txt and prints: ksg_nats mixed_nats
"""
import sys

import numpy as np
from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

d = sys.argv[1]
rng = np.random.default_rng(12)
n = 4000
x = rng.standard_normal(n)
y = 0.8 * x + 0.6 * rng.standard_normal(n)
labels = rng.integers(0, 4, n)
z = labels * 1.5 + rng.standard_normal(n)
np.savetxt(f"{d}/x.txt", x, fmt="%.17g")
np.savetxt(f"{d}/y.txt", y, fmt="%.17g")
np.savetxt(f"{d}/labels.txt", labels, fmt="%d")
np.savetxt(f"{d}/z.txt", z, fmt="%.17g")
ksg = mutual_info_regression(x.reshape(-1, 1), y, n_neighbors=3, random_state=0)[0]
mixed = mutual_info_classif(z.reshape(-1, 1), labels, n_neighbors=3, random_state=0)[0]
print(ksg, mixed)
