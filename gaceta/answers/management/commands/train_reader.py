"""Fit the extractive reader's scorers (answers/learned.py): reader_weights.json, and the text-only
reader_weights_text.json (no similarity features) that answers until sentence vectors exist.

    manage.py train_reader [--data ../shared] [--folds 5] [--dry-run]

Needs the demo archive loaded (`make demo`): each question is asked as a paid reader would ask it,
and every sentence of the stories read becomes a candidate, labelled by whether it holds the
question's answer (or an alias) as whole words, normalised as ASK_DEV.md scores. It fits on the
`train` split of corpus/ask_train.jsonl, on corpus/ask_dev.jsonl and on the team's own questions
(answers/training/ask_team.jsonl, written the same way about other articles; its README says how);
the `validation` split is never read. The four stages (every sentence; the best TOP_K with spaCy's
features; answer or decline; which entity of an answering sentence is the answer) are fitted with
L2 penalties chosen from small grids by the out-of-fold result: the first, the decision and the
span are logistic regressions (scikit-learn); the second is listwise, a softmax over each
question's TOP_K sentences fitted so that those holding the answer take the largest share (scipy's
L-BFGS), since it only has to order one question's sentences. The decision stage is fitted on the
first two stages' out-of-fold rankings, itself out of fold, and the decline threshold is the one
that maximises the out-of-fold right answers plus right declines. It prints the out-of-fold
(cross-validated) results of the train split, the dev set and the team's questions, answered end to
end as Ask answers.
"""

import json
import pickle
import random
import re
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand

from gaceta.answers import ask, learned, nlp
from gaceta.search.text import fold

GRID_C = (0.001, 0.003, 0.01)
# The listwise second stage's L2 (one row group per question, so its own scale).
GRID_LIST_C = (0.03, 0.1, 0.3)
# The decision stage has one row per question (a few hundred), so its own grid.
GRID_DECISION_C = (0.003, 0.01, 0.03, 0.1, 1.0)
# The span stage: one row per new entity of a sentence that holds the answer.
GRID_SPAN_C = (0.1, 0.3, 1.0, 3.0)
# A "which"/"what" noun asked about in this many questions gets span features of its own.
FOCUS_MIN = 3
TOP_K = 15
SEED = 20261201
SPLITS = ("train", "dev", "team")
TEAM_QUESTIONS = Path(__file__).resolve().parents[2] / "training" / "ask_team.jsonl"


def answer_key(text: str) -> str:
    """ASK_DEV.md's normalisation, padded so that a gold answer matches whole words only."""
    return " " + re.sub(r"[^a-z0-9]+", " ", fold(text)).strip() + " "


def holds(text: str, golds: list[str]) -> bool:
    key = answer_key(text)
    return any(answer_key(gold) in key for gold in golds)


class Command(BaseCommand):
    help = __doc__.split("\n")[0]

    def add_arguments(self, parser):
        parser.add_argument("--data", default=settings.GACETA_DEMO_DATA, help="the shared folder with corpus/")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
        parser.add_argument("--exclude", action="append", default=[],
                            help="leave out the features whose names start with this (e.g. rules_)")
        parser.add_argument("--cache", help="keep the questions' candidates in this file (pickle) and reuse them")

    def handle(self, *args, data, folds, dry_run, exclude, cache, **options):
        from sklearn.linear_model import LogisticRegression

        self.LogisticRegression = LogisticRegression
        self.folds = folds
        corpus = Path(data) / "corpus"
        items = [json.loads(line) for line in (corpus / "ask_train.jsonl").read_text().splitlines() if line.strip()]
        items = [item for item in items if item["split"] == "train"]
        items += [{**json.loads(line), "split": "dev"} for line in (corpus / "ask_dev.jsonl").read_text().splitlines() if line.strip()]
        items += [json.loads(line) for line in TEAM_QUESTIONS.read_text().splitlines() if line.strip()]
        started = time.perf_counter()
        with _paid_reader() as reader:
            if cache and Path(cache).exists():
                examples = pickle.loads(Path(cache).read_bytes())
            else:
                examples = [self._example(item, reader) for item in items]
                if cache:
                    Path(cache).write_bytes(pickle.dumps(examples))
            self.stdout.write(f"{len(examples)} questions read in {time.perf_counter() - started:.0f} s")
            # The same candidates serve both scorers: the text-only one reads none of the
            # features that need sentence vectors.
            # The nouns "which"/"what" questions ask about often enough for the span stage to
            # learn their answers' types.
            asked = Counter(example["question"].focus for example in examples)
            focus = tuple(sorted(noun for noun, count in asked.items() if noun and count >= FOCUS_MIN))
            self.stdout.write(f"focus nouns: {', '.join(focus)}")
            self.span_names = learned.span_feature_names(focus)
            # The span stage reads no sentence vectors: its penalty is chosen once, for both scorers.
            self.span_c = self._choose_span_c(examples, _folds(len(examples), folds, SEED))
            fitted = []
            for with_vectors, path in ((True, learned.WEIGHTS_FILE), (False, learned.TEXT_WEIGHTS_FILE)):
                self.names = [[name for name in learned.feature_names(stage, with_vectors) if not name.startswith(tuple(exclude))]
                              for stage in (1, 2)]
                self.decision_names = learned.DECISION if with_vectors else learned.without_vectors(learned.DECISION)
                self.stdout.write(f"== {'with sentence vectors' if with_vectors else 'text only'}")
                final = self._train(examples)
                final.meta.update({
                    "trained": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
                    "fitted_on": {split: sum(e["item"]["split"] == split for e in examples) for split in SPLITS},
                    "with_vectors": with_vectors,
                    "focus": list(focus),
                    "excluded": exclude,
                })
                fitted.append((final, path))
        if not dry_run:
            for final, path in fitted:
                final.save(path)
                self.stdout.write(f"wrote {path}")

    def _train(self, examples: list[dict]) -> learned.Scorer:
        """The three stages with the penalties and threshold of the best out-of-fold result,
        fitted on all the examples; its `meta` says the choices and the out-of-fold results."""
        folds = self.folds
        fold_of = _folds(len(examples), folds, SEED)
        best = None
        for c, list_c in [(c, list_c) for c in GRID_C for list_c in GRID_LIST_C]:
            scorers = {f: self._fit([e for i, e in enumerate(examples) if fold_of[i] != f], c, list_c)
                       for f in range(folds)}
            rows = [self._outcome(example, scorers[fold_of[i]]) for i, example in enumerate(examples)]
            # The decision stage, fitted and judged out of fold too (on other folds).
            decision_fold = _folds(len(examples), folds, SEED + 1)
            for dc in GRID_DECISION_C:
                decisions = {f: self._fit_decision([r for i, r in enumerate(rows) if decision_fold[i] != f], dc)
                             for f in range(folds)}
                confidences = [float(decisions[decision_fold[i]].probabilities([row["features"]])[0]) for i, row in enumerate(rows)]
                threshold, total = _best_threshold([(p, row["correct"], row["answerable"]) for p, row in zip(confidences, rows)])
                self.stdout.write(f"C={c}, listwise C={list_c}, decision C={dc}: out-of-fold right answers + right declines {total}/{len(rows)} at threshold {threshold:.3f}")
                if best is None or total > best[0]:
                    best = (total, c, list_c, dc, threshold, scorers, decisions, decision_fold, rows)
        _, c, list_c, dc, threshold, scorers, decisions, decision_fold, rows = best
        results = {}
        for split in SPLITS:
            verdicts = []
            for i, example in enumerate(examples):
                if example["item"]["split"] == split:
                    fold_scorer = scorers[fold_of[i]]
                    fold_scorer.decision, fold_scorer.threshold = decisions[decision_fold[i]], threshold
                    verdicts.append(self._verdict(example, fold_scorer))
            results[split] = _metrics(verdicts)
            self.stdout.write(f"{split} (out of fold): " + ", ".join(f"{key} {value}" for key, value in results[split].items()))
        final = self._fit(examples, c, list_c)
        final.decision, final.threshold = self._fit_decision(rows, dc), threshold
        final.meta = {"C": c, "listwise_C": list_c, "decision_C": dc, "span_C": self.span_c, "out_of_fold": results}
        return final

    def _choose_span_c(self, examples: list[dict], fold_of: dict[int, int]) -> float:
        """The span stage's L2 with the most out-of-fold sentences whose likeliest entity is the
        answer."""
        groups = [(fold_of[i], group) for i, example in enumerate(examples) for group in _span_groups(example)]
        best = None
        for c in GRID_SPAN_C:
            right = 0
            for f in range(self.folds):
                stage = self._fit_span([group for g_fold, group in groups if g_fold != f], c)
                right += sum(labels[int(np.argmax(stage.probabilities(rows)))] for g_fold, (rows, labels) in groups if g_fold == f)
            self.stdout.write(f"span C={c}: the likeliest entity is the answer in {right}/{len(groups)} sentences (out of fold)")
            if best is None or right > best[0]:
                best = (right, c)
        return best[1]

    def _fit_span(self, groups: list[tuple[list[dict], list[bool]]], c: float) -> learned.Stage:
        rows = [row for group_rows, _ in groups for row in group_rows]
        labels = np.array([label for _, labels in groups for label in labels], dtype=int)
        return _fit_stage(self.LogisticRegression, self.span_names, rows, labels, c)

    def _fit_decision(self, rows: list[dict], c: float) -> learned.Stage:
        """Answer or decline: the chance that the best sentence holds the answer."""
        return _fit_stage(self.LogisticRegression, self.decision_names, [row["features"] for row in rows],
                          np.array([row["correct"] for row in rows], dtype=int), c)

    def _example(self, item, reader) -> dict:
        evidence = ask.gather(item["question"], reader)
        question = learned.question_of(evidence.plan)
        passages = evidence.articles_read()
        found = learned.candidates(question, passages, learned.embedded(passages))
        learned.read_entities(question, found)
        golds = [item["answer"], *item["aliases"]] if item["answer"] else []
        for candidate in found:
            candidate.doc = None  # memory: the answer's sentences are parsed again when needed
        labels = np.array([holds(candidate.text, golds) for candidate in found], dtype=int)
        return {"item": item, "evidence": evidence, "question": question, "found": found, "labels": labels,
                "golds": golds}

    def _fit(self, examples: list[dict], c: float, list_c: float) -> learned.Scorer:
        first_names, second_names = self.names
        rows = [candidate.cheap for example in examples for candidate in example["found"]]
        labels = np.concatenate([example["labels"] for example in examples])
        first = _fit_stage(self.LogisticRegression, first_names, rows, labels, c)
        rows2, labels2 = [], []
        for example in examples:
            found = example["found"]
            if not found:
                continue
            probabilities = first.probabilities([candidate.cheap for candidate in found])
            order = np.argsort(-probabilities, kind="stable")[:TOP_K]
            labels = example["labels"][order]
            if labels.any() and not labels.all():  # a question with nothing to choose teaches no ranking
                rows2.append([{**found[index].cheap, **found[index].entity} for index in order])
                labels2.append(labels.astype(bool))
        second = _fit_listwise(second_names, rows2, labels2, list_c)
        always = learned.Stage(["bias"], np.zeros(1), np.ones(1), np.zeros(1), 0.0)  # until the decision is fitted
        span = self._fit_span([group for example in examples for group in _span_groups(example)], self.span_c)
        return learned.Scorer(first, second, always, span, 0.0, TOP_K)

    def _outcome(self, example: dict, scorer: learned.Scorer) -> dict:
        """The ranking's decision features, whether the answer (never declined) holds the answer
        in its first sentence, and whether the question has one."""
        scorer.threshold = 0.0
        answer = self._answer(example, scorer)
        ranked = sorted((c for c in example["found"] if c.probability), key=lambda c: -c.probability)
        first = answer.sentences[0].text if answer.sentences else ""
        return {"features": learned.decision_features(example["question"], ranked),
                "correct": bool(example["golds"]) and holds(first, example["golds"]),
                "answerable": bool(example["golds"])}

    def _answer(self, example: dict, scorer: learned.Scorer):
        for candidate in example["found"]:
            candidate.probability = 0.0
        return ask.extractive_answer(example["evidence"], lambda article: f"/{article.pk}/", scorer=scorer,
                                     found=example["found"])

    def _verdict(self, example: dict, scorer: learned.Scorer) -> dict:
        answer = self._answer(example, scorer)
        first = answer.sentences[0].text if answer.sentences else ""
        refs = dict(_import_refs({citation.article_id for citation in answer.citations}))
        cited = {refs.get(citation.article_id) for citation in answer.citations}
        item = example["item"]
        return {
            "answerable": bool(example["golds"]),
            "answered": answer.answered,
            "correct": answer.answered and bool(example["golds"]) and holds(first, example["golds"]),
            "cites": bool(cited & set(item["article_ids"])),
        }


def _span_groups(example: dict) -> list[tuple[list[dict], list[bool]]]:
    """The span stage's examples from one question: for each sentence that holds the answer and
    offers more than one new entity, the entities' features and whether each is (part of) it."""
    if "spans" not in example:
        question, golds = example["question"], example["golds"]
        held = [candidate.text for candidate, label in zip(example["found"], example["labels"]) if label]
        example["spans"] = []
        for doc in nlp.language().pipe(held):
            entities = learned.new_entities_of(question, doc)
            labels = [_is_answer(entity.text, golds) for entity in entities]
            if len(entities) > 1 and any(labels):
                example["spans"].append((learned.span_rows(question, doc, entities), labels))
    return example["spans"]


def _is_answer(text: str, golds: list[str]) -> bool:
    """Whether an entity is the answer: it holds a gold answer, or is a name within one."""
    key = answer_key(text)
    return holds(text, golds) or (len(key) > 4 and any(key in answer_key(gold) for gold in golds))


@contextmanager
def _paid_reader():
    """A temporary paid member, deleted afterwards. Not one transaction rolled back: that would
    hold SQLite's write lock for the whole run, and the site's writes would fail meanwhile."""
    from gaceta.members.models import ComplimentaryAccess, Member

    address = "train-reader@example.invalid"
    Member.objects.filter(username=address).delete()  # left by a run that was killed
    member = Member.objects.create(username=address, email=address)
    try:
        ComplimentaryAccess.objects.create(member=member, note="train_reader")
        yield member
    finally:
        member.delete()


def _import_refs(ids):
    from gaceta.articles.models import ArticlePage

    return ArticlePage.objects.filter(pk__in=ids).values_list("pk", "import_ref")


def _folds(count: int, folds: int, seed: int) -> dict[int, int]:
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return {index: n % folds for n, index in enumerate(order)}


def _fit_stage(LogisticRegression, names, rows, labels, c) -> learned.Stage:
    matrix = np.array([[row.get(name, 0.0) for name in names] for row in rows], dtype=float)
    mean = matrix.mean(axis=0)
    scale = matrix.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit((matrix - mean) / scale, labels)
    return learned.Stage(names, mean, scale, model.coef_[0], float(model.intercept_[0]))


def _fit_listwise(names, groups: list[list[dict]], labels: list[np.ndarray], c: float) -> learned.Stage:
    """The second stage, listwise: for each question, the softmax of the scores of its TOP_K
    sentences, fitted so that the sentences holding the answer take the largest share (the
    log of their summed share, L2-penalised by 1/(2c); L-BFGS)."""
    from scipy.optimize import minimize

    matrices = [np.array([[row.get(name, 0.0) for name in names] for row in group], dtype=float) for group in groups]
    stacked = np.vstack(matrices)
    mean = stacked.mean(axis=0)
    scale = stacked.std(axis=0)
    scale[scale == 0] = 1.0
    scaled = [((matrix - mean) / scale, label) for matrix, label in zip(matrices, labels)]

    def loss(weights):
        total, gradient = 0.5 * weights @ weights / c, weights / c
        for matrix, label in scaled:
            z = matrix @ weights
            share = np.exp(z - z.max())
            share /= share.sum()
            held = share[label].sum()
            total -= np.log(held)
            gradient = gradient - matrix.T @ (np.where(label, share / held, 0.0) - share)
        return total, gradient

    weights = minimize(loss, np.zeros(len(names)), jac=True, method="L-BFGS-B").x
    return learned.Stage(names, mean, scale, weights, 0.0, "softmax")


def _best_threshold(outcomes) -> tuple[float, int]:
    """The threshold with the most right answers (answered, holding the answer) plus right
    declines (unanswerable, declined); ties go to the middle of the best run."""
    candidates = sorted({top for top, _, _ in outcomes} | {0.0, 1.0})
    scored = []
    for threshold in candidates:
        right = sum((top >= threshold and correct) or (top < threshold and not answerable)
                    for top, correct, answerable in outcomes)
        scored.append((right, threshold))
    best = max(right for right, _ in scored)
    run = [threshold for right, threshold in scored if right == best]
    return run[len(run) // 2], best


def _metrics(rows: list[dict]) -> dict:
    answerable = [row for row in rows if row["answerable"]]
    unanswerable = [row for row in rows if not row["answerable"]]

    def share(part, whole):
        return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "n/a"

    return {
        "direct": share(sum(row["correct"] for row in answerable), len(answerable)),
        "citation": share(sum(row["cites"] for row in answerable), len(answerable)),
        "abstention": share(sum(not row["answered"] for row in unanswerable), len(unanswerable)),
        "wrong_declines": share(sum(not row["answered"] for row in answerable), len(answerable)),
    }
