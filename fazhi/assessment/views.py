"""Pages of 考核: trees (list, outline, lite editor, XLSX in and out), the supervisor's cycle page,
the unit's page (self-assessment, evidence, scores with every deduction's record, appeals, the
reviewer's scoring), results with drill-down, and the 通报 as DOCX.

Views parse, call one service or selector, and render."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from fazhi.assessment import bulletin, forms, permissions, rules, selectors, services, xlsx
from fazhi.assessment.models import (
    Appeal,
    AssessmentCycle,
    Deduction,
    Evidence,
    Indicator,
    IndicatorTree,
    ScoringRule,
    Submission,
)
from fazhi.org.models import Unit
from fazhi.reports.export import DOCX_TYPE
from fazhi.suggestions.pages import form_errors, service_errors, xlsx_response


def _decimal(text) -> Decimal | None:
    try:
        return Decimal(str(text).strip()) if str(text or "").strip() else None
    except InvalidOperation:
        return None


def _require_manager(user) -> None:
    if not permissions.can_manage(user):
        raise PermissionDenied("只有法治督察人员（法治办）可以进行此操作。")


def _cycle(user, pk: int) -> AssessmentCycle:
    return get_object_or_404(selectors.cycles_visible_to(user), pk=pk)


def _unit_in(user, cycle: AssessmentCycle, unit_pk: int) -> Unit:
    return get_object_or_404(selectors.units_visible_in(user, cycle), pk=unit_pk)


# --- home and trees -------------------------------------------------------------------------------


@login_required
def home(request):
    if not permissions.can_view_trees(request.user):
        raise PermissionDenied("您没有查看考核的权限。")
    return render(
        request,
        "assessment/home.html",
        {
            "cycles": selectors.cycles_visible_to(request.user),
            "can_manage": permissions.can_manage(request.user),
        },
    )


@login_required
def tree_list(request):
    if not permissions.can_view_trees(request.user):
        raise PermissionDenied("您没有查看指标体系的权限。")
    form = forms.TreeImportForm()
    return render(
        request,
        "assessment/tree_list.html",
        {
            "trees": selectors.trees_visible_to(request.user),
            "can_manage": permissions.can_manage(request.user),
            "form": form,
        },
    )


@login_required
@require_POST
def tree_starter(request):
    _require_manager(request.user)
    tree = services.tree_load_starter(actor=request.user)
    messages.success(request, f"已载入模板“{tree}”（草稿）。请按本地考核办法修改分值和评分规则后启用。")
    return redirect(tree)


@login_required
def tree_import(request):
    _require_manager(request.user)
    form = forms.TreeImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result, tree = xlsx.import_tree(
            actor=request.user,
            upload=form.cleaned_data["file"],
            name=form.cleaned_data["name"],
            version=form.cleaned_data["version"],
        )
        if tree is not None:
            messages.success(request, f"已导入“{tree}”，共{result.created}项指标（草稿）。")
            return redirect(tree)
    status = 200 if result is None or result.ok else 422
    return render(request, "assessment/tree_import.html", {"form": form, "result": result}, status=status)


@login_required
def tree_template(request):
    if not permissions.can_view_trees(request.user):
        raise PermissionDenied("您没有查看指标体系的权限。")
    return xlsx_response(xlsx.template(), "指标体系导入模板.xlsx")


@login_required
def tree_detail(request, pk: int):
    tree = get_object_or_404(selectors.trees_visible_to(request.user), pk=pk)
    return render(
        request,
        "assessment/tree_detail.html",
        {
            "tree": tree,
            "indicators": selectors.tree_outline(tree),
            "can_manage": permissions.can_manage(request.user),
            "editable": tree.status == IndicatorTree.Status.DRAFT and permissions.can_manage(request.user),
        },
    )


@login_required
def tree_export(request, pk: int):
    tree = get_object_or_404(selectors.trees_visible_to(request.user), pk=pk)
    return xlsx_response(xlsx.export_tree(tree), f"{tree.name}-{tree.version}.xlsx")


@login_required
@require_POST
def tree_action(request, pk: int, action: str):
    _require_manager(request.user)
    tree = get_object_or_404(IndicatorTree, pk=pk)
    try:
        if action == "copy":
            tree = services.tree_copy(
                actor=request.user, tree=tree, version=request.POST.get("version", "").strip()
            )
            messages.success(request, f"已复制为新版本“{tree}”（草稿）。")
        elif action in IndicatorTree.Status.values:
            services.tree_set_status(actor=request.user, tree=tree, status=action)
            messages.success(request, f"“{tree}”已{IndicatorTree.Status(action).label}。")
        else:
            raise PermissionDenied("不支持的操作。")
    except ValidationError as exc:
        service_errors(request, exc)
    return redirect(tree)


@login_required
def indicator_edit(request, pk: int):
    _require_manager(request.user)
    indicator = get_object_or_404(Indicator.objects.select_related("tree", "rule"), pk=pk)
    rule = getattr(indicator, "rule", None)
    form = forms.IndicatorForm(
        request.POST or None,
        initial={
            "name": indicator.name,
            "requirement": indicator.requirement,
            "max_score": indicator.max_score,
            "weight": indicator.weight,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_rule = None
        if rule is not None:
            new_rule = {
                "kind": rule.kind,
                "metric_code": rule.metric_code,
                "bands": rule.bands,
                "source": rule.source,
                "case_type_code": rule.case_type_code,
                "points_per_record": _decimal(request.POST.get("points_per_record"))
                or rule.points_per_record,
                "cap": _decimal(request.POST.get("cap")) if request.POST.get("cap") else None,
            }
            if rule.kind == ScoringRule.Kind.METRIC:
                try:
                    new_rule["bands"] = rules.parse_bands(request.POST.get("bands", ""))
                except ValueError as exc:
                    messages.error(request, f"分档：{exc}")
                    new_rule = None
        if rule is None or new_rule is not None:
            try:
                services.indicator_update(
                    actor=request.user,
                    indicator=indicator,
                    name=data["name"],
                    requirement=data["requirement"],
                    max_score=data["max_score"],
                    weight=data["weight"],
                    rule=new_rule,
                )
            except ValidationError as exc:
                service_errors(request, exc, form)
            else:
                messages.success(request, f"已保存“{indicator.code} {data['name']}”。")
                return redirect(indicator.tree)
    elif request.method == "POST":
        form_errors(request, form)
    bands = rules.format_bands(rule.bands) if rule is not None and rule.bands else ""
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessment/indicator_edit.html",
        {"indicator": indicator, "rule": rule, "form": form, "bands": bands},
        status=status,
    )


# --- cycles ---------------------------------------------------------------------------------------


@login_required
def cycle_new(request):
    _require_manager(request.user)
    form = forms.CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_open(
                actor=request.user,
                tree=data["tree"],
                year=data["year"],
                name=data["name"],
                units=list(data["units"]),
                submit_due=data["submit_due"],
                appeal_due=data["appeal_due"],
            )
        except ValidationError as exc:
            service_errors(request, exc, form)
        else:
            messages.success(request, f"已开启“{cycle}”，考核对象{len(data['units'])}个单位。")
            return redirect(cycle)
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/cycle_new.html", {"form": form}, status=status)


@login_required
def cycle_detail(request, pk: int):
    cycle = _cycle(request.user, pk)
    units = selectors.units_visible_in(request.user, cycle)
    manager = permissions.can_manage(request.user)
    if not manager and units.count() == 1:
        return redirect("assessment:submission", cycle.pk, units.get().pk)
    submissions = (
        Submission.objects.filter(cycle=cycle, unit__in=units)
        .select_related("unit")
        .order_by("unit__sort_order", "unit_id")
    )
    return render(
        request,
        "assessment/cycle_detail.html",
        {
            "cycle": cycle,
            "submissions": submissions,
            "totals": {r["unit_id"]: r for r in cycle.scores.values("unit_id").annotate(**_totals())},
            "appeals": selectors.appeals_pending(cycle) if manager else [],
            "results": selectors.results_visible_to(request.user, cycle),
            "rectifications": selectors.rectifications_visible_to(request.user, cycle),
            "can_manage": manager,
        },
    )


def _totals() -> dict:
    return {"total": Sum("points"), "scored": Count("id")}


@login_required
@require_POST
def cycle_action(request, pk: int, action: str):
    _require_manager(request.user)
    cycle = get_object_or_404(AssessmentCycle, pk=pk)
    try:
        if action == "advance":
            services.cycle_advance(actor=request.user, cycle=cycle)
            messages.success(request, f"“{cycle}”已进入“{cycle.get_status_display()}”阶段。")
        elif action == "recompute":
            counts = services.cycle_score_auto(actor=request.user, cycle=cycle)
            messages.success(
                request, f"已重新计算{counts['scores']}项得分，新增扣分{counts['deductions']}处。"
            )
        elif action == "publish":
            services.cycle_publish(
                actor=request.user, cycle=cycle, bulletin_number=request.POST.get("bulletin_number", "")
            )
            messages.success(request, f"“{cycle}”结果已公布。")
        elif action == "rectify":
            unit = get_object_or_404(cycle.units, pk=request.POST.get("unit"))
            indicator = get_object_or_404(Indicator, pk=request.POST.get("indicator"), tree=cycle.tree)
            deduction = (
                get_object_or_404(Deduction, pk=request.POST["deduction"], cycle=cycle)
                if request.POST.get("deduction")
                else None
            )
            rectification = services.rectification_open(
                actor=request.user, cycle=cycle, unit=unit, indicator=indicator, deduction=deduction
            )
            messages.success(
                request,
                f"已交办整改任务{rectification.case.number}，期限{rectification.case.due_date:%Y年%m月%d日}。",
            )
            return redirect("assessment:submission", cycle.pk, unit.pk)
        else:
            raise PermissionDenied("不支持的操作。")
    except ValidationError as exc:
        service_errors(request, exc)
    return redirect(cycle)


@login_required
def submission(request, pk: int, unit_pk: int):
    cycle = _cycle(request.user, pk)
    unit = _unit_in(request.user, cycle, unit_pk)
    sub = get_object_or_404(Submission, cycle=cycle, unit=unit)
    entries = {e.indicator_id: e for e in sub.entries.all()}
    evidence: dict[int, list[Evidence]] = {}
    for item in sub.evidence.all():
        evidence.setdefault(item.indicator_id, []).append(item)
    deductions: dict[int, list[Deduction]] = {}
    for d in selectors.deductions_visible_to(request.user, cycle).filter(unit=unit):
        deductions.setdefault(d.indicator_id, []).append(d)
    rectified = {
        r.indicator_id: r
        for r in selectors.rectifications_visible_to(request.user, cycle).filter(unit=unit, deduction=None)
    }
    rows = [
        {
            "leaf": leaf,
            "score": score,
            "entry": entries.get(leaf.pk),
            "evidence": evidence.get(leaf.pk, []),
            "deductions": deductions.get(leaf.pk, []),
            "lost": leaf.max_score - score.points if score else None,
            "rectification": rectified.get(leaf.pk),
        }
        for leaf, score in selectors.unit_scores(cycle, unit)
    ]
    manager = permissions.can_manage(request.user)
    return render(
        request,
        "assessment/submission.html",
        {
            "cycle": cycle,
            "unit": unit,
            "submission": sub,
            "rows": rows,
            "total": selectors.unit_total(cycle, unit),
            "can_edit": permissions.can_submit(request.user, unit)
            and cycle.status == AssessmentCycle.Status.SUBMITTING
            and sub.status == Submission.Status.DRAFT,
            "can_appeal": permissions.can_submit(request.user, unit)
            and cycle.status == AssessmentCycle.Status.REVIEWING,
            "can_review": permissions.can_review(request.user, cycle)
            and cycle.status == AssessmentCycle.Status.REVIEWING,
            "can_rectify": manager and cycle.status == AssessmentCycle.Status.PUBLISHED,
            "evidence_kind": ScoringRule.Kind.EVIDENCE,
        },
    )


@login_required
@require_POST
def submission_action(request, pk: int, unit_pk: int, action: str):
    cycle = _cycle(request.user, pk)
    unit = _unit_in(request.user, cycle, unit_pk)
    sub = get_object_or_404(Submission, cycle=cycle, unit=unit)
    leaves = {leaf.pk: leaf for leaf in services.leaves(cycle.tree)}
    try:
        if action == "save":
            entries = {}
            for leaf_id in leaves:
                score, text = (
                    request.POST.get(f"score-{leaf_id}", ""),
                    request.POST.get(f"statement-{leaf_id}", ""),
                )
                if score.strip() or text.strip():
                    value = _decimal(score)
                    if score.strip() and value is None:
                        raise ValidationError({"self_score": f"{leaves[leaf_id].code}：自评分须填写数字。"})
                    entries[leaf_id] = (value, text)
            services.submission_save(actor=request.user, submission=sub, entries=entries)
            messages.success(request, "自评已保存。")
        elif action == "evidence":
            indicator = leaves.get(int(request.POST.get("indicator") or 0))
            upload = request.FILES.get("file")
            if indicator is None or upload is None:
                raise ValidationError("请选择评分项和要上传的文件。")
            services.evidence_add(actor=request.user, submission=sub, indicator=indicator, upload=upload)
            messages.success(request, f"已上传“{upload.name}”。")
        elif action == "submit":
            services.submission_submit(actor=request.user, submission=sub)
            messages.success(request, "已报送，等待评审。")
        elif action == "score":
            indicator = leaves.get(int(request.POST.get("indicator") or 0))
            points = _decimal(request.POST.get("points"))
            if indicator is None or points is None:
                raise ValidationError("请填写得分（数字）。")
            services.score_review(
                actor=request.user,
                cycle=cycle,
                unit=unit,
                indicator=indicator,
                points=points,
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, f"已评分：{indicator.code} {points}分。")
        else:
            raise PermissionDenied("不支持的操作。")
    except ValidationError as exc:
        service_errors(request, exc)
    return redirect("assessment:submission", cycle.pk, unit.pk)


@login_required
def evidence_download(request, pk: int):
    item = get_object_or_404(Evidence.objects.select_related("submission__cycle", "submission__unit"), pk=pk)
    if not permissions.can_view_unit(request.user, item.submission.unit):
        raise PermissionDenied("您无权查看该单位的佐证材料。")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
def appeal_new(request, pk: int):
    deduction = get_object_or_404(
        Deduction.objects.select_related("cycle", "unit", "indicator", "case"), pk=pk
    )
    if not permissions.can_submit(request.user, deduction.unit):
        raise PermissionDenied(f"只有{deduction.unit.name}的工作人员可以对本单位的扣分申诉。")
    if request.method == "POST":
        try:
            services.appeal_submit(
                actor=request.user, deduction=deduction, reasons=request.POST.get("reasons", "")
            )
        except ValidationError as exc:
            service_errors(request, exc)
        else:
            messages.success(request, "申诉已提交，等待法治办处理。")
            return redirect("assessment:submission", deduction.cycle_id, deduction.unit_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "assessment/appeal_new.html", {"deduction": deduction}, status=status)


@login_required
@require_POST
def appeal_decide(request, pk: int):
    appeal = get_object_or_404(Appeal.objects.select_related("deduction__cycle"), pk=pk)
    try:
        services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            accept=request.POST.get("decision") == "accept",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        service_errors(request, exc)
    else:
        messages.success(request, f"申诉已处理：{appeal.get_decision_display()}。")
    return redirect(appeal.deduction.cycle)


@login_required
def results(request, pk: int):
    cycle = _cycle(request.user, pk)
    rows = selectors.results_visible_to(request.user, cycle)
    if cycle.status != AssessmentCycle.Status.PUBLISHED:
        raise PermissionDenied("考核结果尚未公布。")
    units = selectors.units_visible_in(request.user, cycle)
    return render(
        request,
        "assessment/results.html",
        {
            "cycle": cycle,
            "results": rows,
            "lost": selectors.lost_points(cycle, units),
            "visible": set(units.values_list("pk", flat=True)),
        },
    )


@login_required
def bulletin_download(request, pk: int):
    cycle = _cycle(request.user, pk)
    if cycle.status != AssessmentCycle.Status.PUBLISHED:
        raise PermissionDenied("考核结果公布后才能下载通报。")
    response = HttpResponse(bulletin.bulletin_docx(cycle), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{bulletin.bulletin_title(cycle)}.docx"
    )
    return response
