"""派单模型: category and lead unit learned from the city's own 12345 history.

Two linear text classifiers over the same features — jieba words (one and two words) and Chinese
character 2–3-grams, TF-IDF weighted — one for the third-level category and one for the lead
unit, the latter also seeing the request's area (region and its parents), request type and
category. Probabilities are calibrated (sigmoid, on cross-validated predictions), so "0.8"
means about four in five such suggestions were right on held-out history. `routing.suggest_route`
asks `predict` and keeps the routing table's authority; below the configured confidence the
model never routes on its own. See docs/adr/0009-learned-routing.md.

Training (`fazhi hotline train`) reads dispatched requests that a unit accepted (signed for,
replied to, or kept after its 退单 was rejected) — the label is the category and the unit that
finally handled it, so a 退单 accepted and re-dispatched teaches the corrected unit, with extra
weight. The category tree's own names and keywords are added as short examples, so a category
that history has not yet seen can still be suggested. A held-out fifth of the history measures
the version, and the measured model is the one stored (`RoutingModel`, joblib blob in the DB).
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field

import jieba
import joblib
import numpy as np
import sklearn
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from fazhi.cases.models import Case
from fazhi.core import audit
from fazhi.hotline.catalogue import read_categories
from fazhi.hotline.models import Category, Disposition, RoutingModel, Ticket, TicketReturn
from fazhi.org.models import Region, Role, Unit, User
from fazhi.org.permissions import has_role

logger = logging.getLogger(__name__)

ARTEFACT_FORMAT = 1
ALGORITHM = "jieba词（1–2元）+汉字2–3元 TF-IDF；LinearSVC，sigmoid校准（3折）；分类、主办单位各一个模型"
MIN_CLASS_EXAMPLES = 3  # calibration cross-validates in three folds
HOLDOUT_SHARE = 0.2
CORRECTED_WEIGHT = 2.0  # a request re-dispatched after a 退单: a person checked the unit twice
KEYWORD_WEIGHT = 1.0  # the category tree's words: a hint, not a request somebody made
DEFAULT_LIMIT = 300_000  # newest requests read for one training; bounds time and memory at 10 M
_DIGITS = re.compile(r"\d+")
_NOT_WORD = re.compile(r"^[\W_]+$")
# Function words and fillers callers use in every kind of request; they only add noise.
STOPWORDS = frozenset((
    "的", "了", "在", "是", "我", "我们", "俺", "俺们", "你", "你们", "他", "他们", "她", "它", "这", "那", "这个", "那个",
    "就", "都", "也", "还", "又", "着", "过", "吧", "吗", "呢", "啊", "呀", "哦", "嗯", "喂", "和", "与", "跟", "把",
    "被", "给", "让", "对", "从", "到", "有", "一", "一个", "个", "些", "什么", "怎么", "咋", "为啥", "为什么", "请问",
    "你好", "您好", "谢谢", "麻烦", "现在", "已经", "一直", "非常", "特别", "太", "很", "好", "说", "问", "想", "要", "能",
    "会", "可以", "这么", "那么", "然后", "但是", "因为", "所以", "如果", "而且", "得", "地",
))  # fmt: skip


def model_min_confidence() -> float:
    """Below this a learned category or unit is not even shown as the suggestion."""
    return getattr(settings, "FAZHI_HOTLINE_MODEL_MIN_CONFIDENCE", 0.3)


# --- text features (module-level functions: the pickled pipelines refer to them by name) ----------

_jieba_ready = False


def _ensure_jieba() -> None:
    """Teach jieba the hotline's own phrases (井盖, 占道经营 …) from the shipped category file.

    The file, not the editable database rows: training and prediction must cut text the same way.
    """
    global _jieba_ready
    if _jieba_ready:
        return
    jieba.setLogLevel(logging.WARNING)
    for spec in read_categories():
        for word in [spec.name, *spec.keywords.replace("，", "、").split("、")]:
            word = word.strip()
            if len(word) >= 2:
                jieba.add_word(word, freq=2000)
    _jieba_ready = True


def normalise(text: str) -> str:
    """House numbers, dates and phone numbers say nothing about who handles a request."""
    return _DIGITS.sub("0", (text or "").lower())


def words(text: str) -> list[str]:
    _ensure_jieba()
    return [
        w for w in jieba.lcut(normalise(text)) if w.strip() and w not in STOPWORDS and not _NOT_WORD.match(w)
    ]


def text_of(rows):
    return [row[0] for row in rows]


def context_of(rows):
    return [row[1] for row in rows]


def split_space(text: str) -> list[str]:
    return text.split()


def _text_features(*, max_words: int, max_chars: int) -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    tokenizer=words,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 2),
                    min_df=2,
                    max_features=max_words,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char",
                    preprocessor=normalise,
                    ngram_range=(1, 3),
                    min_df=2,
                    max_features=max_chars,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )


def _classifier() -> CalibratedClassifierCV:
    # ensemble=False: calibrate on cross-validated predictions, then keep one SVM fitted on all
    # of the training part — one set of weights to store, not three.
    return CalibratedClassifierCV(LinearSVC(C=0.5), method="sigmoid", cv=3, ensemble=False)


def category_pipeline(*, max_words: int = 40_000, max_chars: int = 60_000) -> Pipeline:
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "text",
                            Pipeline(
                                [
                                    ("pick", FunctionTransformer(text_of)),
                                    ("tfidf", _text_features(max_words=max_words, max_chars=max_chars)),
                                ]
                            ),
                        )
                    ]
                ),
            ),
            ("classify", _classifier()),
        ]
    )


def unit_pipeline(*, max_words: int = 40_000, max_chars: int = 60_000) -> Pipeline:
    return Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            "text",
                            Pipeline(
                                [
                                    ("pick", FunctionTransformer(text_of)),
                                    ("tfidf", _text_features(max_words=max_words, max_chars=max_chars)),
                                ]
                            ),
                        ),
                        (
                            "context",
                            Pipeline(
                                [
                                    ("pick", FunctionTransformer(context_of)),
                                    (
                                        "onehot",
                                        CountVectorizer(
                                            tokenizer=split_space,
                                            token_pattern=None,
                                            lowercase=False,
                                            binary=True,
                                        ),
                                    ),
                                ]
                            ),
                        ),
                    ]
                ),
            ),
            ("classify", _classifier()),
        ]
    )


def context_tokens(*, region_codes: list[str], category_code: str, request_type: str) -> str:
    """Area, category (with its parents) and request type as tokens for the unit model."""
    parts = [f"R:{code}" for code in region_codes]
    if category_code:
        parts += [f"C:{category_code[:n]}" for n in range(2, len(category_code) + 1, 2)]
    if request_type:
        parts.append(f"T:{request_type}")
    return " ".join(parts)


# --- reading the history --------------------------------------------------------------------------


@dataclass
class Example:
    text: str
    category_code: str
    region_id: int | None
    request_type: str
    unit_id: int | None
    weight: float = 1.0


def routing_examples(*, limit: int = DEFAULT_LIMIT) -> list[Example]:
    """Dispatched requests whose unit is settled, newest first.

    Settled: signed for or closed by the unit that holds it now, and no 退单 waiting. Requests
    still with the centre, merged or handled by guidance teach nothing about routing. Unscoped on
    purpose: the model is the whole city's, trained by the system and never shown row by row.
    """
    pending = TicketReturn.objects.filter(ticket=OuterRef("pk"), status=TicketReturn.Status.PENDING)
    corrected = TicketReturn.objects.filter(ticket=OuterRef("pk"), status=TicketReturn.Status.ACCEPTED)
    rows = (
        Ticket.objects.filter(disposition=Disposition.DISPATCH, case__isnull=False)
        .exclude(case__handling_unit=F("centre"))
        .filter(Q(signed_at__isnull=False) | Q(case__status=Case.Status.CLOSED))
        .exclude(Exists(pending))
        .annotate(corrected=Exists(corrected))
        .order_by("-received_at", "-id")
        .values_list(
            "content", "category__code", "region_id", "request_type", "case__handling_unit_id", "corrected"
        )
    )
    return [
        Example(
            text=content,
            category_code=code,
            region_id=region_id,
            request_type=request_type,
            unit_id=unit_id,
            weight=CORRECTED_WEIGHT if was_corrected else 1.0,
        )
        for content, code, region_id, request_type, unit_id, was_corrected in rows[:limit].iterator(
            chunk_size=5000
        )
    ]


def _region_codes() -> dict[int, list[str]]:
    """Every region's code with its ancestors' codes, in one query."""
    rows = {pk: (code, parent) for pk, code, parent in Region.objects.values_list("pk", "code", "parent_id")}
    chains: dict[int, list[str]] = {}
    for pk in rows:
        codes, node, hops = [], pk, 0
        while node is not None and hops < 8:
            code, parent = rows[node]
            codes.append(code)
            node, hops = parent, hops + 1
        chains[pk] = codes
    return chains


def _leaf_words() -> list[tuple[str, list[str], list[str]]]:
    """(code, path names, keywords) of every active third-level category, from the database."""
    return [
        (leaf.code, leaf.path_names(), leaf.keyword_list())
        for leaf in Category.objects.filter(level=Category.Level.THIRD, is_active=True).select_related(
            "parent__parent"
        )
    ]


def shipped_leaf_words() -> list[tuple[str, list[str], list[str]]]:
    """The same from the shipped category file (benchmarks: no database)."""
    specs = read_categories()
    names = {spec.code: spec.name for spec in specs}
    return [
        (
            spec.code,
            [names[spec.code[:n]] for n in range(2, len(spec.code) + 1, 2)],
            [w.strip() for w in spec.keywords.replace("，", "、").split("、") if w.strip()],
        )
        for spec in specs
        if spec.level == 3
    ]


def keyword_examples(leaves: list[tuple[str, list[str], list[str]]] | None = None) -> list[Example]:
    """Short examples for every active third-level category from its path and keywords.

    Three per category (the keywords dealt round-robin), so calibration's three folds each see
    every category, including those history has not met yet.
    """
    examples = []
    for code, path, keywords in _leaf_words() if leaves is None else leaves:
        for i in range(MIN_CLASS_EXAMPLES):
            dealt = keywords[i::MIN_CLASS_EXAMPLES]
            examples.append(
                Example(
                    text=" ".join([path[-1], *dealt] if dealt else path[i % len(path) :]),
                    category_code=code,
                    region_id=None,
                    request_type="",
                    unit_id=None,
                    weight=KEYWORD_WEIGHT,
                )
            )
    return examples


# --- training -------------------------------------------------------------------------------------


def example_row(
    e: Example, regions: dict[int, list[str]], *, category_code: str | None = None
) -> tuple[str, str]:
    """(text, context tokens) as both pipelines read an example."""
    context = context_tokens(
        region_codes=regions.get(e.region_id, []),
        category_code=e.category_code if category_code is None else category_code,
        request_type=e.request_type,
    )
    return (e.text, context)


def fit_models(
    category_examples: list[Example],
    unit_examples: list[Example],
    *,
    regions: dict[int, list[str]],
    keywords: list[Example],
    max_words: int = 40_000,
    max_chars: int = 60_000,
) -> tuple[Pipeline, Pipeline | None]:
    """The category and lead-unit pipelines, fitted; no database (the benchmark calls it too)."""
    category_train = category_examples + keywords
    category_model = category_pipeline(max_words=max_words, max_chars=max_chars)
    category_model.fit(
        [example_row(e, regions) for e in category_train],
        [e.category_code for e in category_train],
        classify__sample_weight=np.array([e.weight for e in category_train]),
    )
    unit_model = None
    if len({e.unit_id for e in unit_examples}) >= 2:
        unit_model = unit_pipeline(max_words=max_words, max_chars=max_chars)
        unit_model.fit(
            [example_row(e, regions) for e in unit_examples],
            [e.unit_id for e in unit_examples],
            classify__sample_weight=np.array([e.weight for e in unit_examples]),
        )
    return category_model, unit_model


@dataclass
class TrainingReport:
    model: RoutingModel
    dropped_categories: int
    dropped_units: int
    seconds: float


def _learnable(labels: list[str | int | None]) -> set:
    counts = Counter(label for label in labels if label is not None)
    return {label for label, n in counts.items() if n >= MIN_CLASS_EXAMPLES}


def _accuracy(truth, predicted) -> float | None:
    if not len(truth):
        return None
    return float(np.mean(np.asarray(truth) == np.asarray(predicted)))


def _at_threshold(truth, probabilities, classes, threshold: float) -> dict:
    """How many held-out requests the model would have routed on its own, and how many rightly."""
    best = probabilities.argmax(axis=1)
    confident = probabilities.max(axis=1) >= threshold
    right = np.asarray(truth) == classes[best]
    return {
        "threshold": threshold,
        "coverage": float(confident.mean()) if len(truth) else 0.0,
        "accuracy": float(right[confident].mean()) if confident.any() else None,
    }


def _require_trainer(actor: User | None) -> None:
    # None is the scheduler (`fazhi hotline train`); a person must be the centre or a supervisor.
    if actor is not None and not has_role(actor, Role.OPERATOR, Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有12345中心、法治督察人员或系统管理员可以训练派单模型。")


@transaction.atomic
def routing_model_train(
    *,
    actor: User | None,
    limit: int = DEFAULT_LIMIT,
    min_examples: int = 50,
    activate: bool = True,
    examples: list[Example] | None = None,
    max_words: int = 40_000,
    max_chars: int = 60_000,
) -> TrainingReport:
    """Train a new version from the history, measure it on a held-out fifth, store and activate it."""
    _require_trainer(actor)
    started = time.perf_counter()
    history = routing_examples(limit=limit) if examples is None else examples
    if len(history) < min_examples:
        raise ValidationError(
            f"可用于训练的历史工单只有{len(history)}件（至少需要{min_examples}件已签收或已办结的派单工单），暂不能训练派单模型。"
        )
    regions = _region_codes()
    categories = _learnable([e.category_code for e in history])
    units = _learnable([e.unit_id for e in history])
    train, holdout = train_test_split(history, test_size=HOLDOUT_SHARE, random_state=20240923, shuffle=True)

    def row(e: Example, *, category_code: str | None = None) -> tuple[str, str]:
        return example_row(e, regions, category_code=category_code)

    keywords = keyword_examples()
    category_model, unit_model = fit_models(
        [e for e in train if e.category_code in categories],
        [e for e in train if e.unit_id in units],
        regions=regions,
        keywords=keywords,
        max_words=max_words,
        max_chars=max_chars,
    )
    train_seconds = time.perf_counter() - started

    # Held-out measurement, including what the unit model gets when the category is the model's.
    threshold = getattr(settings, "FAZHI_HOTLINE_AUTO_ROUTE_CONFIDENCE", 0.6)
    metrics: dict = {"train_seconds": round(train_seconds, 1), "sklearn": sklearn.__version__}
    category_accuracy = unit_accuracy = None
    if holdout:
        rows = [row(e) for e in holdout]
        t0 = time.perf_counter()
        held_p = category_model.predict_proba(rows)
        per_request_ms = (time.perf_counter() - t0) * 1000 / len(rows)
        classes = category_model.classes_
        guessed = classes[held_p.argmax(axis=1)]
        truth = [e.category_code for e in holdout]
        category_accuracy = _accuracy(truth, guessed)
        metrics["category_first_level_accuracy"] = _accuracy([t[:2] for t in truth], [g[:2] for g in guessed])
        metrics["category_at_threshold"] = _at_threshold(truth, held_p, classes, threshold)
        metrics["predict_ms_per_request_batch"] = round(per_request_ms, 3)
        # One request at a time, as an operator's typing asks: both models, no database.
        single = []
        for one in rows[:200]:
            t1 = time.perf_counter()
            probabilities(category_model, [one])
            if unit_model is not None:
                probabilities(unit_model, [one])
            single.append((time.perf_counter() - t1) * 1000)
        metrics["predict_ms_single_p50"] = round(float(np.percentile(single, 50)), 2)
        metrics["predict_ms_single_p95"] = round(float(np.percentile(single, 95)), 2)
        if unit_model is not None:
            unit_probabilities = unit_model.predict_proba(
                [row(e, category_code=g) for e, g in zip(holdout, guessed, strict=True)]
            )
            unit_truth = [e.unit_id for e in holdout]
            unit_guess = unit_model.classes_[unit_probabilities.argmax(axis=1)]
            unit_accuracy = _accuracy(unit_truth, unit_guess)
            metrics["unit_at_threshold"] = _at_threshold(
                unit_truth, unit_probabilities, unit_model.classes_, threshold
            )
            metrics["unit_accuracy_given_true_category"] = _accuracy(
                unit_truth, unit_model.predict([row(e) for e in holdout])
            )
    metrics.update(
        {
            "categories": len(category_model.classes_),
            "units": len(unit_model.classes_) if unit_model is not None else 0,
            "corrected_examples": sum(1 for e in history if e.weight == CORRECTED_WEIGHT),
            "dropped_rare_category_examples": sum(1 for e in train if e.category_code not in categories),
            "dropped_rare_unit_examples": sum(1 for e in train if e.unit_id not in units),
            "keyword_examples": len(keywords),
        }
    )

    buffer = io.BytesIO()
    joblib.dump(
        {
            "format": ARTEFACT_FORMAT,
            "sklearn": sklearn.__version__,
            "category": category_model,
            "unit": unit_model,
        },
        buffer,
        compress=3,
    )
    blob = buffer.getvalue()
    version = (
        RoutingModel.objects.select_for_update()
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    if activate:
        RoutingModel.objects.filter(is_active=True).update(is_active=False)
    stored = RoutingModel.objects.create(
        version=version,
        trained_at=timezone.now(),
        trained_by=actor,
        algorithm=ALGORITHM,
        samples=len(train),
        holdout=len(holdout),
        category_accuracy=category_accuracy,
        unit_accuracy=unit_accuracy,
        metrics=metrics,
        artefact=blob,
        sha256=hashlib.sha256(blob).hexdigest(),
        size=len(blob),
        is_active=activate,
    )
    audit.record(
        actor=actor,
        action="hotline.routing_model_trained",
        target=stored,
        after={
            "version": version,
            "samples": len(train),
            "holdout": len(holdout),
            "category_accuracy": category_accuracy,
            "unit_accuracy": unit_accuracy,
            "active": activate,
            "sha256": stored.sha256,
        },
    )
    return TrainingReport(
        model=stored,
        dropped_categories=metrics["dropped_rare_category_examples"],
        dropped_units=metrics["dropped_rare_unit_examples"],
        seconds=time.perf_counter() - started,
    )


@transaction.atomic
def routing_model_activate(*, actor: User | None, model: RoutingModel) -> RoutingModel:
    """Put an earlier version back in use (a new version that routes worse is rolled back)."""
    _require_trainer(actor)
    before = RoutingModel.objects.filter(is_active=True).values_list("version", flat=True).first()
    RoutingModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
    model.is_active = True
    model.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="hotline.routing_model_activated",
        target=model,
        before={"version": before},
        after={"version": model.version},
    )
    return model


# --- prediction -----------------------------------------------------------------------------------


def probabilities(pipeline: Pipeline, rows: list[tuple[str, str]]) -> np.ndarray:
    """`pipeline.predict_proba(rows)`, vectorised over the per-class sigmoid calibrators.

    scikit-learn applies each of ~200 calibrators in a loop with full input validation (~50 ms a
    request); this is the same arithmetic — one-vs-rest sigmoid, rows normalised to sum 1,
    uniform where all are 0 — in one step. A test pins it to predict_proba.
    """
    calibrated = pipeline.named_steps["classify"].calibrated_classifiers_[0]
    x = pipeline.named_steps["features"].transform(rows)
    scores = calibrated.estimator.decision_function(x)
    if scores.ndim == 1:
        return pipeline.predict_proba(rows)  # two classes: one calibrator, nothing to gain
    a = np.array([c.a_ for c in calibrated.calibrators])
    b = np.array([c.b_ for c in calibrated.calibrators])
    proba = expit(-(a * scores + b))
    totals = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1 / proba.shape[1])
    return np.where(totals == 0, uniform, proba / np.where(totals == 0, 1, totals))


@dataclass(frozen=True)
class LoadedModel:
    pk: int
    version: int
    samples: int
    category: Pipeline
    unit: Pipeline | None


_loaded: LoadedModel | None = None


def active_model() -> LoadedModel | None:
    """The version in use, loaded once per process and reloaded when another version is activated."""
    global _loaded
    current = RoutingModel.objects.filter(is_active=True).values_list("pk", "version", "samples").first()
    if current is None:
        return None
    if _loaded is not None and _loaded.pk == current[0]:
        return _loaded
    blob = RoutingModel.objects.filter(pk=current[0]).values_list("artefact", flat=True).first()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # another scikit-learn version: try, and fall back on failure
            artefact = joblib.load(io.BytesIO(bytes(blob)))
    except Exception:
        logger.exception("派单模型第%s版无法加载，派单建议改用规则和关键词。", current[1])
        return None
    if artefact.get("format") != ARTEFACT_FORMAT:
        logger.error("派单模型第%s版的格式不受支持，请重新训练。", current[1])
        return None
    _loaded = LoadedModel(
        pk=current[0],
        version=current[1],
        samples=current[2],
        category=artefact["category"],
        unit=artefact["unit"],
    )
    return _loaded


def forget_loaded_model() -> None:
    global _loaded
    _loaded = None


@dataclass
class LearnedRoute:
    version: int
    samples: int
    category: Category | None = None
    category_confidence: float = 0.0
    alternatives: list[tuple[Category, float]] = field(default_factory=list)
    evidence: tuple[str, ...] = ()
    lead_unit: Unit | None = None
    unit_confidence: float = 0.0


_word_names: dict[int, np.ndarray] = {}


def _word_vectorizer(pipeline: Pipeline) -> TfidfVectorizer:
    # features → "text" (pick, tfidf) → tfidf union → "word"; the word block comes first.
    text = dict(pipeline.named_steps["features"].transformer_list)["text"]
    return dict(text.named_steps["tfidf"].transformer_list)["word"]


def _evidence(
    pipeline: Pipeline, row: tuple[str, str], class_index: int, *, limit: int = 3
) -> tuple[str, ...]:
    """The jieba words that pushed the text hardest towards the chosen class."""
    svm = pipeline.named_steps["classify"].calibrated_classifiers_[0].estimator
    names = _word_names.get(id(pipeline))
    if names is None:
        names = _word_names[id(pipeline)] = _word_vectorizer(pipeline).get_feature_names_out()
    x = pipeline.named_steps["features"].transform([row]).tocsr()
    coef = svm.coef_[class_index] if svm.coef_.shape[0] > 1 else svm.coef_[0]
    scored = sorted(
        ((float(x.data[i] * coef[j]), names[j]) for i, j in enumerate(x.indices) if j < len(names)),
        reverse=True,
    )
    found: list[str] = []
    for score, word in scored:
        if score <= 0 or len(found) >= limit:
            break
        if not any(word in w or w in word for w in found):
            found.append(str(word))
    return tuple(found)


def _active_unit(unit_id: int) -> Unit | None:
    """A unit merged away since training hands its requests to its successor."""
    unit = Unit.objects.filter(pk=unit_id).select_related("successor").first()
    hops = 0
    while unit is not None and not unit.is_active and hops < 5:
        unit, hops = unit.successor, hops + 1
    return unit if unit is not None and unit.is_active else None


def predict(
    *,
    text: str,
    region: Region | None = None,
    category: Category | None = None,
    request_type: str = "",
    explain: bool = True,
) -> LearnedRoute | None:
    """The active version's category and lead unit for a text; None without a usable model."""
    if not (text or "").strip():
        return None
    loaded = active_model()
    if loaded is None:
        return None
    region_codes = []
    if region is not None:
        node, hops = region, 0
        while node is not None and hops < 8:
            region_codes.append(node.code)
            node, hops = node.parent, hops + 1
    result = LearnedRoute(version=loaded.version, samples=loaded.samples)
    try:
        row = (text, "")
        category_p = probabilities(loaded.category, [row])[0]
        order = np.argsort(category_p)[::-1][:3]
        codes = [str(loaded.category.classes_[i]) for i in order]
        by_code = {
            c.code: c
            for c in Category.objects.filter(code__in=codes, is_active=True).select_related("parent__parent")
        }
        ranked = [
            (by_code[code], float(category_p[i]))
            for code, i in zip(codes, order, strict=True)
            if code in by_code
        ]
        if ranked:
            result.category, result.category_confidence = ranked[0]
            result.alternatives = ranked[1:]
            if explain:
                result.evidence = _evidence(loaded.category, row, int(order[0]))
        if loaded.unit is not None:
            chosen = category or result.category
            context = context_tokens(
                region_codes=region_codes,
                category_code=chosen.code if chosen else "",
                request_type=request_type,
            )
            unit_probabilities = probabilities(loaded.unit, [(text, context)])[0]
            best = int(unit_probabilities.argmax())
            result.lead_unit = _active_unit(int(loaded.unit.classes_[best]))
            result.unit_confidence = float(unit_probabilities[best]) if result.lead_unit else 0.0
    except Exception:
        # A broken artefact must not stop an operator taking a call: rules and keywords still work.
        logger.exception("派单模型第%s版预测失败。", loaded.version)
        return None
    return result


def predict_batch_seconds(texts: list[str]) -> float:
    """Wall time to predict each text one by one (what an operator's request costs), for benchmarks."""
    started = time.perf_counter()
    for text in texts:
        predict(text=text, explain=False)
    return time.perf_counter() - started


# --- measuring on labelled texts ------------------------------------------------------------------


def read_labelled(path) -> list[tuple[str, str]]:
    """ "代码<TAB>文本" lines ('#' lines are comments); the code is 2, 4 or 6 digits."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, _, text = line.partition("\t")
            rows.append((code.strip(), text.strip()))
    return rows


def measure_texts(
    category_model: Pipeline,
    unit_model: Pipeline | None,
    labelled: list[tuple[str, str]],
    *,
    threshold: float,
    unit_ok=None,
) -> dict:
    """Accuracy by category level and for the unit, and what the threshold would let through.

    Texts are read as the intake reads them (no region, no request type, the unit model given
    the model's category). `unit_ok(code, predicted_unit)` says whether a unit is a right lead
    unit for a labelled code; without it units are not measured.
    """
    rows = [(text, "") for _, text in labelled]
    p = probabilities(category_model, rows)
    best = p.argmax(axis=1)
    confidence = p.max(axis=1)
    guessed = [str(category_model.classes_[i]) for i in best]
    result: dict = {"texts": len(labelled)}
    for level, cut in ((1, 2), (2, 4), (3, 6)):
        pairs = [
            (code[:cut], g[:cut]) for (code, _), g in zip(labelled, guessed, strict=True) if len(code) >= cut
        ]
        result[f"level{level}"] = (sum(a == b for a, b in pairs) / len(pairs)) if pairs else None
    sure = confidence >= threshold
    right1 = np.array([code[:2] == g[:2] for (code, _), g in zip(labelled, guessed, strict=True)])
    result["category_coverage"] = float(sure.mean())
    result["category_precision_level1"] = float(right1[sure].mean()) if sure.any() else None
    if unit_model is not None and unit_ok is not None and all(len(code) == 6 for code, _ in labelled):
        unit_rows = [
            (text, context_tokens(region_codes=[], category_code=g, request_type=""))
            for (_, text), g in zip(labelled, guessed, strict=True)
        ]
        up = probabilities(unit_model, unit_rows)
        units = unit_model.classes_[up.argmax(axis=1)]
        unit_right = np.array([unit_ok(code, u) for (code, _), u in zip(labelled, units, strict=True)])
        unit_sure = up.max(axis=1) >= threshold
        result["unit"] = float(unit_right.mean())
        result["unit_coverage"] = float(unit_sure.mean())
        result["unit_precision"] = float(unit_right[unit_sure].mean()) if unit_sure.any() else None
        # What routes on its own: the unit only as sure as the category it was read with.
        routed = np.minimum(up.max(axis=1), confidence) >= threshold
        result["routed_coverage"] = float(routed.mean())
        result["routed_precision"] = float(unit_right[routed].mean()) if routed.any() else None
    return result
