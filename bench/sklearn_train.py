#!/usr/bin/python3
"""The scikit-learn peer of `./bench.sh train` (the recipe's setup).

Word 1-2-gram + char_wb 2-5-gram TF-IDF (sublinear tf, char min_df=2), LogisticRegression C=4 (lbfgs, max_iter=1000),
fitted on TRAIN.csv, scored on TEST.csv. Prints one JSON object: auc, f1 at 0.45, seconds (vectorize + fit, as the
issue defines it), predict_seconds. Needs Debian's python3-sklearn (run with /usr/bin/python3).
"""
import csv
import json
import sys
import time

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["comment_text"] for r in rows], np.array([int(r["labels"]) for r in rows])


def main(train_path, test_path):
    train_texts, train_labels = read(train_path)
    test_texts, test_labels = read(test_path)
    start = time.perf_counter()
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    features = hstack([words.fit_transform(train_texts), chars.fit_transform(train_texts)]).tocsr()
    model = LogisticRegression(C=4, max_iter=1000).fit(features, train_labels)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    test_features = hstack([words.transform(test_texts), chars.transform(test_texts)]).tocsr()
    probabilities = model.predict_proba(test_features)[:, 1]
    predict_seconds = time.perf_counter() - start
    print(json.dumps({
        "auc": roc_auc_score(test_labels, probabilities),
        "f1": f1_score(test_labels, probabilities >= 0.45),
        "seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "iterations": int(model.n_iter_[0]),
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
