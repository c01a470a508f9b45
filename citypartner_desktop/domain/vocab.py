"""Controlled vocabularies: stored value -> English label (labels are translated in the UI)."""

from __future__ import annotations

Vocab = tuple[tuple[str, str], ...]

PARTNERSHIP_KINDS: Vocab = (
    ("twinning", "Twinning / sister city"),
    ("friendship", "Friendship"),
    ("cooperation", "Cooperation"),
    ("project", "Project partnership"),
    ("network", "Network"),
)
PARTNERSHIP_STATUSES: Vocab = (
    ("proposed", "Proposed"),
    ("negotiating", "Negotiating"),
    ("active", "Active"),
    ("dormant", "Dormant"),
    ("suspended", "Suspended"),
    ("ended", "Ended"),
)
THEMES: Vocab = (
    ("economy", "Economy"),
    ("environment", "Environment"),
    ("culture", "Culture"),
    ("education", "Education"),
    ("youth", "Youth"),
    ("governance", "Governance"),
    ("health", "Health"),
    ("mobility", "Mobility"),
    ("sport", "Sport"),
    ("social", "Social affairs"),
    ("tourism", "Tourism"),
    ("digital", "Digital"),
)
PROGRAMME_KINDS: Vocab = (
    ("network", "City network"),
    ("funding", "Funding programme"),
    ("association", "Association"),
    ("other", "Other"),
)
MEMBER_ROLES: Vocab = (("lead", "Lead"), ("partner", "Partner"), ("observer", "Observer"))
GOAL_STATUSES: Vocab = (
    ("open", "Open"),
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("achieved", "Achieved"),
    ("dropped", "Dropped"),
)
AGREEMENT_KINDS: Vocab = (
    ("charter", "Charter"),
    ("memorandum", "Memorandum of understanding"),
    ("cooperation", "Cooperation agreement"),
    ("action_plan", "Action plan"),
    ("grant", "Grant agreement"),
)
AGREEMENT_STATUSES: Vocab = (
    ("draft", "Draft"),
    ("signed", "Signed"),
    ("in_force", "In force"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
)
ACTIVITY_KINDS: Vocab = (
    ("meeting", "Meeting"),
    ("visit", "Delegation visit"),
    ("call", "Call"),
    ("email", "E-mail"),
    ("event", "Event"),
    ("exchange", "Exchange"),
    ("project", "Project"),
)
EVALUATION_KINDS: Vocab = (
    ("check_in", "Check-in"),
    ("annual", "Annual review"),
    ("end_of_term", "End-of-term"),
)
RECOMMENDATIONS: Vocab = (
    ("continue", "Continue"),
    ("renew", "Renew"),
    ("rescope", "Re-scope"),
    ("suspend", "Suspend"),
    ("end", "End"),
)
CRITERIA: Vocab = (
    ("relevance", "Relevance"),
    ("coherence", "Coherence"),
    ("effectiveness", "Effectiveness"),
    ("efficiency", "Efficiency"),
    ("impact", "Impact"),
    ("sustainability", "Sustainability"),
)
HEALTH_ASPECTS: Vocab = (
    ("shared_goals", "Shared goals"),
    ("roles", "Roles"),
    ("mutual_benefit", "Mutual benefit"),
    ("communication", "Communication"),
    ("joint_decisions", "Joint decisions"),
    ("resources", "Resources"),
    ("trust", "Trust"),
)
HEALTH_SIDES: Vocab = (("ours", "Our city"), ("partner", "Partner city"))
RAG: Vocab = (("green", "Green"), ("amber", "Amber"), ("red", "Red"))
LEGAL_BASES: Vocab = (
    ("consent", "Consent"),
    ("contract", "Contract"),
    ("legal_obligation", "Legal obligation"),
    ("public_task", "Public task"),
    ("legitimate_interest", "Legitimate interests"),
)


def label_of(vocab: Vocab, value: str | None) -> str:
    """The label of a stored value; unknown values are shown as they are."""
    if value is None:
        return ""
    for key, label in vocab:
        if key == value:
            return label
    return value
