import pytest
from django.db import IntegrityError, transaction

from fazhi.hotline.catalogue import load_categories, read_categories
from fazhi.hotline.models import TRACKING_ALPHABET, Category, HandlingLimit, RequestType, new_tracking_code

pytestmark = pytest.mark.django_db


def test_the_data_migration_loads_a_three_level_category_tree():
    counts = {level: Category.objects.filter(level=level).count() for level in (1, 2, 3)}

    assert 15 <= counts[1] <= 20 and 55 <= counts[2] <= 75 and counts[3] >= 200
    pothole = Category.objects.select_related("parent__parent").get(code="010101")
    assert pothole.full_name == "城市管理 / 市政设施 / 道路破损"
    assert pothole.is_leaf and "坑洼" in pothole.keyword_list()
    # every third-level category hangs under a second-level one under a first-level one
    assert not Category.objects.filter(level=3).exclude(parent__level=2).exists()
    assert not Category.objects.filter(level=2).exclude(parent__level=1).exists()


def test_loading_again_keeps_local_edits():
    Category.objects.filter(code="010101").update(name="道路坑洼")
    assert load_categories(Category) == 0
    assert Category.objects.get(code="010101").name == "道路坑洼"


def test_the_category_file_rejects_an_orphan(tmp_path):
    path = tmp_path / "categories.txt"
    path.write_text("01 城市管理\n010101 道路破损\n", encoding="utf-8")
    with pytest.raises(ValueError, match="上级分类0101不存在"):
        read_categories(path)


def test_tracking_codes_are_ten_unambiguous_characters():
    codes = {new_tracking_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 10 and set(c) <= set(TRACKING_ALPHABET) for c in codes)
    assert not set("01OI") & set(TRACKING_ALPHABET)


def test_one_handling_limit_per_category_and_request_type():
    pothole = Category.objects.get(code="010101")
    HandlingLimit.objects.create(category=pothole, request_type=RequestType.HELP, period="3wd")
    HandlingLimit.objects.create(request_type=RequestType.CONSULTATION, period="2wd")
    with pytest.raises(IntegrityError), transaction.atomic():
        HandlingLimit.objects.create(category=pothole, request_type=RequestType.HELP, period="5wd")
    with pytest.raises(IntegrityError), transaction.atomic():
        HandlingLimit.objects.create(request_type=RequestType.CONSULTATION, period="1wd")
