"""The classifier's rules, as data: cue lists and the ordered rules that use them.

This module holds no logic. :mod:`evidence.designs` reads it. A reviewer who
disagrees with a decision changes a cue list or moves a rule here, runs
``pytest tests/test_designs.py`` (which checks that every rule is well formed
and reports the accuracy against ``data/labels.csv``), and reads the
``rule`` column of ``evidence classify`` to see which rule decided.

How the rules are read
----------------------
A **cue** is a named list of regular expressions (matched case-insensitively,
``^``/``$`` at line ends) with the source its words come from.

A **rule** refers to cues as ``"cue@field"``. The fields are texts built from
one record:

============== ================================================================
field          text
============== ================================================================
``title``      the title
``abstract``   the abstract (every section, "LABEL: text")
``text``       title and abstract
``subject``    title, author keywords and MeSH descriptors (what it is about)
``pt``         publication types, one a line
``mesh``       MeSH descriptors, one a line
``methods``    title and abstract without its BACKGROUND/INTRODUCTION and
               CONCLUSIONS/DISCUSSION sections, with parenthesised examples
               ("usual care (eg, physical therapy ...)") removed: what was done
``done``       the title and those ``methods`` sentences that say what this
               study did: sentences about earlier or future work ("previous
               trials have shown", "randomised trials are needed") left out
``arms``       the title and those ``methods`` sentences, outside RESULTS
               sections, that describe groups (random*, assign*, allocat*,
               versus, compared, group, arm, ...)
============== ================================================================

A rule fires when every ``all_of`` cue matches, at least ``min_any`` of the
``any_of`` cues match (when it has any), and no ``none_of`` cue matches. For
each field (design, condition) the rules are tried in order and **the first
that fires decides**; its name is the ``rule`` of the result. The last rule of
each list has no conditions, so every record gets a value.

Comparators are decided differently (see :data:`COMPARATOR_RULES`): every
kind of control arm whose cues match is collected; one kind gives that kind,
two or more give ``mixed``.

Sources of the cue lists
------------------------
- PubMed publication types and MeSH scope notes (NLM): "Randomized Controlled
  Trial", "Clinical Trial Protocol", "Systematic Review", "Meta-Analysis",
  "Observational Study", "Case Reports", "Practice Guideline", "Review"; the
  check tags "Humans" and "Animals".
- Cochrane Highly Sensitive Search Strategy for randomized trials in MEDLINE
  (2008 revision; Lefebvre et al., Cochrane Handbook, technical supplement to
  chapter 4): ``randomized[tiab] OR randomly[tiab] OR placebo[tiab] ...``, and its
  ``NOT (animals[mh] NOT humans[mh])`` line.
- PubMed Clinical Queries, therapy/narrow (Haynes et al. 2005):
  ``randomized controlled trial[pt] OR (randomized[tiab] AND controlled[tiab]
  AND trial[tiab])``.
- Hedges systematic-review filter (Montori et al. 2005, BMJ 330:68):
  ``MEDLINE[tw] OR systematic review[tiab] OR meta-analysis[pt]``; the search
  terms of PubMed's ``systematic[sb]`` subset ("search strategy", "data
  sources", "selection criteria", "meta-analysis").
- SIGN search filters for observational studies (cohort, case-control,
  cross-sectional, survey, registry).
- MeSH descriptors and their entry terms for the conditions: Tension-Type
  Headache (tension headache, stress headache), Neck Pain (cervicalgia,
  neckache, cervical pain), Whiplash Injuries, Migraine Disorders, Low Back
  Pain, Chronic Pain, Musculoskeletal Pain, Osteoarthritis, Shoulder Pain.
- Control groups of acupuncture trials as named in the Cochrane acupuncture
  reviews (Linde et al. 2016, CD007587) and the Acupuncture Trialists'
  Collaboration (Vickers et al. 2018): sham (minimal, superficial,
  non-penetrating, placebo needles, sham laser/TENS), no acupuncture (usual or
  routine care, waiting list), and other treatments.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "FIELDS",
    "Cue",
    "Rule",
    "CUES",
    "DESIGN_RULES",
    "CONDITION_RULES",
    "COMPARATOR_RULES",
    "REVIEW_PROTOCOL_CUES",
    "SINGLE_ARM_CUES",
    "CONTROL_CUES",
]

#: The texts a cue can be matched against (see the module docstring).
FIELDS = ("title", "abstract", "text", "subject", "pt", "mesh", "methods", "arms", "done")


@dataclass(frozen=True)
class Cue:
    """A named list of regular expressions and where its words come from.

    Attributes
    ----------
    name : str
        How rules refer to it (``"name@field"``).
    patterns : tuple of str
        Regular expressions, matched case-insensitively; any one is a hit.
    source : str
        Where the words come from (a search filter, a MeSH scope note, ...).
    """

    name: str
    patterns: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Rule:
    """One ordered rule: conditions on cues and the label it gives.

    Attributes
    ----------
    name : str
        Unique name, reported in the ``rule`` column.
    label : str
        The value given when the rule fires.
    all_of, any_of, none_of : tuple of str
        Cue references ``"cue@field"``: all must match; at least ``min_any``
        must match (ignored when empty); none may match.
    min_any : int
        How many of ``any_of`` must match (default 1).
    source : str
        Why the rule exists: the filter, scope note or labelling-guide line.
    """

    name: str
    label: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    min_any: int = 1
    source: str = ""


def _cues(*cues: Cue) -> dict[str, Cue]:
    return {c.name: c for c in cues}


_NEG = r"(?<!non)(?<!non-)(?<!non )(?<!quasi-)(?<!quasi )(?<!pseudo-)"

CUES: dict[str, Cue] = _cues(
    # ------------------------------------------------------------------ publication types
    Cue("pt_protocol", (r"^clinical trial protocol$",),
        "PubMed publication type Clinical Trial Protocol"),
    Cue("pt_systematic_review", (r"^systematic review$", r"^meta-analysis$",
                                 r"^network meta-analysis$", r"^scoping review$"),
        "PubMed publication types Systematic Review, Meta-Analysis, Network Meta-Analysis, "
        "Scoping Review"),
    Cue("pt_guideline", (r"^(practice )?guideline$", r"^consensus development conference",),
        "PubMed publication types Guideline, Practice Guideline, Consensus Development Conference"),
    Cue("pt_rct", (r"^randomized controlled trial$", r"^pragmatic clinical trial$"),
        "PubMed publication types Randomized Controlled Trial, Pragmatic Clinical Trial "
        "(Clinical Queries therapy filter)"),
    Cue("pt_case_report", (r"^case reports$",), "PubMed publication type Case Reports"),
    Cue("pt_observational", (r"^observational study$",),
        "PubMed publication type Observational Study"),
    Cue("pt_trial", (r"^clinical trial$", r"^clinical trial, phase", r"^controlled clinical trial$",
                     r"^clinical study$"),
        "PubMed publication types Clinical Trial, Controlled Clinical Trial (no randomisation "
        "implied)"),
    Cue("pt_review", (r"^review$",), "PubMed publication type Review"),
    Cue("pt_not_research", (r"^comment$", r"^letter$", r"^editorial$", r"^news$",
                            r"^published erratum$", r"^retraction of publication$",
                            r"^biography$", r"^interview$"),
        "PubMed publication types for items that report no study"),
    # ------------------------------------------------------------------ MeSH check tags
    Cue("mesh_humans", (r"^humans$",), "MeSH check tag Humans"),
    Cue("mesh_animals", (r"^animals$",), "MeSH check tag Animals"),
    # ------------------------------------------------------------------ design words
    Cue("protocol_title", (
        r"\b(study|trial|review|research) protocol\b",
        r"\bprotocol (for|of) (a|an|the)\b",
        r"\bprotocol for (systematic|scoping|umbrella|network|meta|randomi[sz]ed|multi|pilot|"
        r"controlled|clinical|pragmatic)",
        r"\brationale and (study )?design\b", r"\bdesign and rationale\b",
    ), "MeSH scope note of Clinical Trial Protocol ('a plan ... of a clinical study'); "
       "titles of protocols in Trials, BMJ Open, Medicine, Systematic Reviews"),
    Cue("protocol_abstract", (
        r"\b(we|this paper|this article) (present|presents|describe|describes|report|reports)"
        r" (the|a|an|our)\b[^.]{0,80}\bprotocol\b",
        r"\b(this|the present) (study |trial |review )?protocol (describes|reports|presents|"
        r"outlines|details)\b",
        r"\bwill be (randomi[sz]ed|randomly|recruited|enrolled|allocated|assigned|searched)\b",
        r"\bwe will (search|recruit|enrol|enroll|randomi[sz]e|include|conduct|perform)\b",
    ), "Protocols describe planned work: 'will be randomised/recruited/searched' (future tense), "
       "'this protocol'"),
    Cue("review_topic", (
        r"\bsystematic (literature )?review", r"\bmeta-?analys", r"\bmeta analys",
        r"\bscoping review\b", r"\bumbrella review\b", r"\boverview of reviews\b",
    ), "Titles that make a protocol a review protocol rather than a trial protocol"),
    Cue("review_search_plan", (
        r"\b(databases?|medline|pubmed|embase|cinahl|central|literature) (will|are going to) be "
        r"searched\b", r"\bwill be searched\b", r"\bwe will search\b",
        r"\bstudies will be (included|selected|screened)\b",
    ), "Planned literature search: the protocol of a review"),
    Cue("sr_title", (
        r"\bsystematic(al)? (literature )?review", r"\bmeta-?analys[ie]s\b",
        r"\bmeta analys[ie]s\b",
        r"\bmetaanalys[ie]s\b", r"\bmeta-?regression\b", r"\bpooled analysis\b",
        r"\bindividual (patient|participant)s?'? data\b", r"\bindividual patient meta",
        r"\bumbrella review\b", r"\boverview of (systematic )?reviews\b", r"\bscoping review\b",
        r"\bcochrane review\b", r"\bevidence synthesis\b",
    ), "Hedges systematic-review filter (systematic review[tiab]); PubMed systematic[sb] terms "
       "(meta-analysis, pooled analysis, individual patient data)"),
    Cue("sr_abstract", (
        r"\b(this|our|the present|an updated|we conducted an?|we performed an?|we undertook an?"
        r"|conducted an?|performed an?|undertook an?) (updated )?(systematic review|meta-analysis"
        r"|network meta-analysis|SR)\b",
        r"\bsystematic review and (network )?meta-analys",
        r"\bcochrane review\b",
        r"\b(databases?|medline|pubmed|embase|cinahl|central|cochrane library|web of science"
        r"|scopus|cnki|reference lists)\b[^.]{0,160}\b(were|was) searched\b",
        r"\bwe (systematically )?searched\b",
        r"\bsearch (strategy|methods)\b", r"\bdata sources\b", r"\bselection criteria\b",
        r"\bstudy selection\b", r"\belectronic databases?\b", r"\bsystematic (literature )?search",
        r"\bmedline\b",
    ), "Hedges systematic-review filter (MEDLINE[tw]); PubMed systematic[sb] terms (search "
       "strategy, data sources, selection criteria, study selection); self-reference ('this "
       "meta-analysis', 'we conducted a systematic review')"),
    Cue("bibliometric", (
        r"\bbibliometric", r"\bscientometric", r"\bdata[- ]mining\b", r"\btext[- ]mining\b",
        r"\bcitation analysis\b", r"\bco-?word analysis\b",
    ), "MeSH descriptors Bibliometrics and Data Mining: counts of publications or of "
       "prescriptions, no effect synthesis"),
    Cue("guideline_title", (
        r"\b(clinical )?(practice )?guidelines?\b", r"\bconsensus (statement|recommendations?)\b",
        r"\bposition statement\b", r"\bexpert consensus\b",
    ), "MeSH scope note of Practice Guideline"),
    Cue("review_title", (
        r"\breview\b", r"\boverview\b", r"\bstate of the art\b", r"\ban update\b",
    ), "Titles of review articles (after the systematic-review rules have had their turn)"),
    Cue("review_abstract", (
        r"\b(here )?we review\b", r"\bthis (article|paper|chapter) (reviews|summari[sz]es)\b",
        r"\b(purpose|aim|objective) of this (article|paper|review) is to (review|summari[sz]e)\b",
        r"\b(narrative|literature|critical|comprehensive|historical) review\b",
        r"\bthis review\b", r"\breview of the (literature|evidence)\b",
        r"\bthese therapies are reviewed\b|\bare reviewed\b",
    ), "Self-description of review articles without a reported search"),
    Cue("mechanistic_title", (
        r"\bfmri\b", r"\bfunctional magnetic resonance", r"\bfunctional connectivity\b",
        r"\bresting[- ]state\b", r"\bneuroimaging\b", r"\bbrain (imaging|activation|response|"
        r"network|regions?)", r"\bcort(ex|ices|ical)\b", r"\bsomatosensory\b", r"\bevoked (brain )?"
        r"responses?\b",
        r"\bpositron emission\b", r"\bin vitro\b", r"\brats?\b", r"\bmice\b", r"\bmurine\b",
        r"\brodents?\b", r"\banimal models?\b", r"\bmechanisms?\b",
    ), "Cochrane HSSS 'NOT animals' line; MeSH Magnetic Resonance Imaging, Brain Mapping, "
       "Neuroimaging; titles naming a mechanism"),
    Cue("trial_secondary", (
        r"\b(cost[- ]effectiveness|cost[- ]utility|cost[- ]benefit|economic) (analysis|evaluation)"
        r"\b[^.]{0,80}\b(randomi[sz]ed|trial)\b",
        r"\b(secondary|post[- ]hoc|exploratory|subgroup|per[- ]protocol|mediation|long[- ]term)"
        r" (analysis|analyses|follow[- ]up)\b[^.]{0,80}\brandomi[sz]ed\b",
        r"\b(alongside|within|nested in) a randomi[sz]ed\b",
    ), "Labelling guide: an economic evaluation alongside a trial, or a secondary analysis of "
       "one, takes the trial's design"),
    Cue("randomised", (
        _NEG + r"\brandomi[sz]ed\b", _NEG + r"\brandomi[sz]ation\b",
        r"\brandomly (assigned|allocated|divided|distributed|split)\b",
        r"\brandom (assignment|allocation)\b", r"\brandomi[sz]ed to\b",
    ), "Cochrane HSSS (randomized[tiab], randomly[tiab]); Clinical Queries therapy filter"),
    Cue("non_randomised", (
        r"\bnon-?randomi[sz]ed (controlled )?(trial|study|clinical|comparison)",
        r"\bquasi-?randomi[sz]ed\b", r"\bquasi-?experimental\b",
        r"\bcontrolled before[- ]and[- ]after\b", r"\bsingle[- ]arm\b", r"\bsingle[- ]group\b",
        r"\buncontrolled (trial|study|pilot)\b", r"\bopen[- ]label,? (single|uncontrolled)\b",
        r"\bbefore[- ]and[- ]after (study|design|comparison)\b",
    ), "Cochrane EPOC study designs (non-randomised, controlled before-after, quasi-experimental)"),
    Cue("group_allocation", (
        r"\b(patients|participants|subjects|volunteers) were (divided|allocated|assigned|"
        r"distributed) (in)?to (two|three|four|2|3|4) (groups|arms)\b",
    ), "Allocation to groups without the word 'random' (a controlled trial that does not "
       "say it randomised)"),
    Cue("observational", (
        r"\bcohorts?\b", r"\bcase[- ]control\b", r"\bcross[- ]sectional\b",
        r"\b(prospective|retrospective|national|nationwide|postal|online|web-based|telephone|"
        r"questionnaire|cross-sectional|multicent(re|er)) survey\b",
        r"\bsurvey (of|among)\b", r"\bobservational\b", r"\bregist(ry|er)[- ]based\b",
        r"\bpopulation[- ]based\b", r"\bretrospective(ly)?\b", r"\bpharmacovigilance\b",
        r"\bprospective (study|observational|multicent(re|er) study|data collection)\b",
    ), "SIGN observational-study filters; MeSH Cohort Studies, Case-Control Studies, "
       "Cross-Sectional Studies, Surveys and Questionnaires"),
    Cue("observational_self", (
        r"\b(this|the present|our) ((prospective|retrospective|large|multicent(re|er)|nationwide|"
        r"population-based|longitudinal) )*(observational|cohort|case-control|cross-sectional) "
        r"(study|analysis)\b",
    ), "The authors' own statement of an observational design (MeSH Observational Study scope)"),
    Cue("review_of_studies", (
        r"\b(studies|investigations|research|evidence|trials) (have|has) (shown|revealed|"
        r"demonstrated|increased|accumulated|suggested)\b",
        r"\b(these|such|recent|previous|preclinical|clinical) (studies|investigations|findings) "
        r"(show|suggest|indicate|reveal|demonstrate)\b",
        r"\bin the (last|past) (decade|few years|\d+ years)\b",
    ), "Abstracts that summarise other studies' findings (a review without the word)"),
    Cue("primary_study", (
        r"\b(in|of) (this|the present|our) (study|trial|experiment)\b",
        r"\b(this|the present|our) (study|trial|experiment) (aimed|aims|examined|investigated|"
        r"evaluated|assessed|compared|was)\b",
        r"\bwe (investigated|examined|measured|collected|recruited|enrolled|randomi[sz]ed|"
        r"conducted|performed|treated|observed|compared|assessed|evaluated|studied|followed|"
        r"surveyed|interviewed|analy[sz]ed|included|tested)\b",
        r"\b(patients|participants|subjects|volunteers|rats|mice|animals) were (randomi[sz]ed|"
        r"randomly|assigned|allocated|recruited|enrolled|divided|treated|included)\b",
    ), "Statements that a study of its own was done"),
    Cue("case_report", (
        r"\bcase reports?\b", r"\bcase series\b", r"\bcase study\b", r"\ba case of\b",
        r"\bwe (report|describe|present) (a|an|the|two|three) (case|cases|patients?)\b",
        r"\b\d+[- ]year[- ]old (man|woman|male|female|patient|boy|girl)\b",
    ), "MeSH scope note of Case Reports; case series grouped with case reports"),
    Cue("methods_development", (
        r"\b(development|validation|design) (and validation )?of (a|an|the)\b[^.]{0,80}\b"
        r"(pipeline|software|algorithm|tool|toolkit|platform|method|technique|device|"
        r"instrument|questionnaire|scale|index)\b",
        r"\b(method|approach|technique|algorithm|pipeline|software|framework)s? (is|was|are|were)"
        r" (proposed|developed|introduced|implemented)\b",
        r"\bwe propose (a|an)\b",
        r"\b(a|an) (new|novel) (method|approach|technique|algorithm|pipeline|sequence)\b",
    ), "Methodological studies (new techniques, software, instruments): MeSH Software, "
       "Algorithms, Validation Study"),
    Cue("mechanistic_abstract", (
        r"\brats?\b", r"\bmice\b", r"\bmurine\b", r"\brodents?\b", r"\brabbits?\b",
        r"\banimal models?\b", r"\bin vitro\b", r"\bin vivo\b", r"\bcell (lines?|cultures?)\b",
        r"\bcultured cells\b", r"\bknock-?out\b", r"\bimmunohistochem", r"\bwestern blot",
        r"\bmrna\b", r"\bgene expression\b", r"\bfmri\b", r"\bfunctional magnetic resonance",
        r"\bfunctional connectivity\b", r"\bneuroimaging\b", r"\bpositron emission\b",
        r"\belectroencephalogra", r"\bspectroscop", r"\belectron microscop",
        r"\bultrastructur", r"\bphysiolog", r"\bhealthy (volunteers|subjects|participants)\b",
        r"\bmechanisms? of action\b",
    ), "Laboratory, animal, imaging and physiology words (Cochrane HSSS animal line; MeSH "
       "Models, Animal; In Vitro Techniques; Brain Mapping; Physiology)"),
    # ------------------------------------------------------------------ conditions
    Cue("tth", (
        r"\btension[- ]type headaches?\b", r"\btension[- ]type\b", r"\btension headaches?\b",
        r"\bstress headaches?\b", r"\bmuscle[- ]contraction headaches?\b", r"\b[ce]?tth\b",
        r"^tension-type headache$",
    ), "MeSH Tension-Type Headache and its entry terms; the abbreviations TTH, CTTH, ETTH"),
    Cue("neck", (
        r"\bneck pain\b", r"\bneck[- ](and|or)[- ]shoulder", r"\bneck[- ]shoulder\b",
        r"\bpain in the neck\b", r"\bneckache\b", r"\bcervicalgia\b",
        r"\bcervical (pain|spondylo\w*|radiculopathy|myofascial|spine pain|syndrome)\b",
        r"\bmyofascial neck\b", r"\bwhiplash\b", r"\bneck dissection\b",
        r"\bneck (disorders?|disability|problems?|stiffness|complaints?)\b",
        r"\b(chronic|mechanical|non-?specific|uncomplicated|acute|subacute) neck\b",
        r"\bkatakori\b", r"\bneck(,| and| or|/) ?(low(er)?[- ])?back\b", r"^neck pain$",
        r"^whiplash injuries$",
    ), "MeSH Neck Pain (entry terms cervicalgia, neckache, cervical pain) and Whiplash "
       "Injuries; labelling guide: whiplash, neck and shoulder pain, neck pain after surgery"),
    Cue("back", (
        r"\bback pain\b", r"\bback and neck pain\b", r"\bneck (and|or) (low(er)?[- ])?back\b",
        r"\blumbago\b", r"\bspinal pain\b", r"^low back pain$", r"^back pain$",
    ), "MeSH Low Back Pain, Back Pain"),
    Cue("migraine", (r"\bmigraines?\b", r"\bmigrainous\b", r"^migraine disorders$"),
        "MeSH Migraine Disorders"),
    Cue("headache", (r"\bheadaches?\b", r"^headache$", r"^headache disorders"),
        "MeSH Headache, Headache Disorders"),
    Cue("chronic_pain", (
        r"\bchronic pain\b", r"\bmusculoskeletal pain\b", r"\bpain conditions\b",
        r"\bchronic (musculoskeletal|non-?cancer|non-?malignant) pain\b",
        r"^chronic pain$", r"^musculoskeletal pain$",
    ), "MeSH Chronic Pain, Musculoskeletal Pain"),
    Cue("other_pain", (
        r"\bosteoarthritis\b", r"\bknee pain\b",
        r"(?<!neck and )(?<!neck-)(?<!neck )(?<!neck or )\bshoulder pain\b",
        r"\bfibromyalgia\b", r"\bdysmenorrh",
        r"\bneuropath(y|ic)\b", r"\bpelvic pain\b", r"\bcancer pain\b", r"\barthritis\b",
        r"\btemporomandibular\b", r"\blateral epicondyl", r"\bplantar fasci", r"\bcarpal tunnel\b",
        r"^osteoarthritis", r"^shoulder pain$", r"^fibromyalgia$",
    ), "MeSH descriptors of other chronic pain conditions (Osteoarthritis, Shoulder Pain, "
       "Fibromyalgia, Dysmenorrhea, Neuralgia)"),
    Cue("safety", (
        r"\badverse (events?|effects?|reactions?)\b", r"\bsafety\b", r"\bside[- ]effects?\b",
        r"\bcomplications?\b", r"\bharms?\b", r"\bpneumothorax\b",
    ), "MeSH subheading adverse effects; safety surveys of routine practice"),
    Cue("efficacy", (r"\befficacy\b", r"\beffectiveness\b", r"\beffects? of\b",
                     r"\bversus\b", r"\bfor (the )?(treatment|management|prevention)\b"),
        "Titles that ask whether a treatment works (so 'safety' is not the topic alone)"),
    Cue("mechanism", (
        r"\bendorphins?\b", r"\bopioids?\b", r"\bneuropeptides?\b", r"\bmechanisms?\b",
        r"\bneuroplasticity\b", r"\bneurotrophi", r"\bbdnf\b", r"\bneuroprotect",
        r"\bsignal(l)?ing pathway", r"\bfunctional connectivity\b", r"\bfmri\b",
        r"^opioid peptides$", r"^brain-derived neurotrophic factor$",
    ), "Labelling guide: mechanism reviews are about no single condition"),
    # ------------------------------------------------------------------ comparators
    Cue("sham", (
        r"\bsham\b", r"\bplacebo", r"\bminimal acupuncture\b",
        r"\bsuperficial (needling|acupuncture)\b",
        r"\bshallow (needling|acupuncture)\b", r"\bnon-?penetrating\b", r"\bsimulated\b",
        r"\bmock\b", r"\birrelevant (acupuncture|points?)\b", r"\bnon-?acupo(int|ints)\b",
        r"\bnon-?acupuncture points?\b", r"\bstreitberger\b", r"\bwithout (skin )?(insertion|"
        r"penetration)\b", r"\bdeactivated\b", r"\binactive (laser|device|tens)\b",
    ), "Sham controls of acupuncture trials: minimal, superficial, shallow or non-penetrating "
       "needling, placebo needles or points, mock/sham laser or TENS"),
    Cue("usual_care", (
        r"\busual (\w+ )?care\b", r"\broutine (\w+ )?care\b", r"\bstandard (\w+ )?care\b",
        r"\btreatment as usual\b", r"\bwait(ing)?[- ]?list", r"\bno[- ]treatment\b",
        r"\bno[- ]acupuncture\b", r"\buntreated (control|group)\b", r"\bno (additional |further )?"
        r"(intervention|treatment) (control|group)\b", r"\bmedication as usual\b",
        r"\bdelayed (treatment|acupuncture)\b",
    ), "Labelling guide: routine care, waiting list, no treatment, medication as usual"),
    Cue("active", (
        r"\bdry needling\b", r"\bmassage\b", r"\bphysiotherapy\b", r"\bphysical therapy\b",
        r"\bexercises?\b", r"\b(medical )?training therapy\b", r"\bmedical training\b",
        r"\balexander\b", r"\byoga\b", r"\brelaxation\b", r"\bmanual therapy\b",
        r"\bchiropractic\b", r"\bosteopath", r"\bspinal manipulation\b", r"\bmobili[sz]ation\b",
        r"\bcognitive[- ]behaviou?ral\b", r"\bbiofeedback\b", r"\bnon-?steroidal anti-?"
        r"inflammatory\b", r"\bnsaids?\b", r"\bamitriptyline\b", r"\btricyclic\b",
        r"\bmuscle relaxants?\b", r"\b(drug|medication|pharmacological) (therapy|treatment) "
        r"(group|arm)\b", r"\bcupping\b", r"\bacupressure\b", r"\binjections?\b",
        r"\bnumber of needles\b", r"\bother (forms?|types?|modes?|styles?|kinds?) of acupuncture\b",
        r"\bother acupuncture\b", r"\b(two|three|four) other acupuncture\b",
        r"\b(high|low)[- ]dose\b", r"\bdifferent (doses|dosages|"
        r"frequencies|numbers of (sessions|needles))\b", r"\b(two|three) different (modes|forms|"
        r"types|methods|techniques|schemes|styles|therapeutic schemes)\b",
    ), "Labelling guide: another named treatment, or another form or dose of acupuncture"),
    # ------------------------------------------------------------------ participants
    Cue("animal_subjects", (
        r"\brats?\b", r"\bmice\b", r"\bmurine\b", r"\brodents?\b", r"\brabbits?\b",
        r"\bdogs?\b", r"\bhorses?\b", r"\bpigs?\b", r"\bmonkeys?\b", r"\bprimates?\b",
        r"\bzebrafish\b", r"\banimal models?\b", r"^animals$",
    ), "Cochrane HSSS animal line; MeSH check tag Animals"),
    Cue("human_subjects", (
        r"\bpatients?\b", r"\bparticipants?\b", r"\bvolunteers?\b", r"\bhumans?\b",
        r"\bpeople\b", r"\badults?\b", r"\bchildren\b", r"\bwomen\b", r"\bmen\b",
        r"\bsubjects\b", r"\bworkers\b", r"\bconsultations\b", r"\btreatments by\b",
        r"^humans$",
    ), "Words for people studied; MeSH check tag Humans"),
    Cue("single_arm", (
        r"\bsingle[- ]arm\b", r"\bsingle[- ]group\b", r"\buncontrolled\b", r"\bcase series\b",
        r"\bbefore[- ]and[- ]after\b", r"\bpre-? ?(and|/)? ?post[- ]?(test|treatment|"
        r"intervention)\b", r"\bno control group\b", r"\ball (patients|participants) received\b",
    ), "Labelling guide: none = a single arm, no control group"),
    Cue("control_words", (
        r"\bversus\b", r"\bvs\.?\b", r"\bcompared (with|to)\b", r"\bcomparing\b",
        r"\bcontrol (group|arm|condition|intervention)\b", r"\b(two|three|four|2|3|4)[- ]"
        r"(arm|group)", r"\b(two|three|four|2|3|4) (groups|arms)\b", r"\bcontrolled\b",
    ), "A comparison is described even if its kind is not recognised"),
)

# ---------------------------------------------------------------------------------- designs

#: Design rules, tried in order; the first that fires decides.
DESIGN_RULES: tuple[Rule, ...] = (
    Rule("pt_not_research", "other", any_of=("pt_not_research@pt",),
         none_of=("pt_rct@pt", "pt_systematic_review@pt"),
         source="Comments, letters and editorials report no study of their own"),
    Rule("pt_protocol", "protocol", any_of=("pt_protocol@pt",),
         source="PubMed publication type; 'protocols are not trials'"),
    Rule("protocol_text", "protocol", any_of=("protocol_title@title", "protocol_abstract@abstract"),
         none_of=("pt_rct@pt",),
         source="Protocol wording in the title or planned (future-tense) methods in the abstract"),
    Rule("pt_systematic_review", "systematic_review", any_of=("pt_systematic_review@pt",),
         source="PubMed publication types Systematic Review / Meta-Analysis"),
    Rule("pt_guideline", "guideline", any_of=("pt_guideline@pt",),
         source="PubMed publication types Guideline / Practice Guideline"),
    Rule("pt_rct", "rct", any_of=("pt_rct@pt",),
         source="PubMed publication type Randomized Controlled Trial"),
    Rule("pt_case_report", "case_report", any_of=("pt_case_report@pt",),
         source="PubMed publication type Case Reports"),
    Rule("pt_observational", "observational", any_of=("pt_observational@pt",),
         source="PubMed publication type Observational Study"),
    Rule("case_report_title", "case_report", any_of=("case_report@title",),
         none_of=("sr_title@title",),
         source="Case report or case series named in the title (before review words: case "
                "reports often open with a short literature review)"),
    Rule("sr_title", "systematic_review", any_of=("sr_title@title",),
         source="Systematic review / meta-analysis (IPD and network included) named in the title; "
                "'a systematic review of RCTs is a systematic review'"),
    Rule("bibliometric", "other", any_of=("bibliometric@text",),
         source="Bibliometric and data-mining studies count papers or prescriptions and assess "
                "no effects: not systematic reviews"),
    Rule("sr_abstract", "systematic_review", any_of=("sr_abstract@abstract",),
         source="Search methods or self-reference of a systematic review in the abstract"),
    Rule("guideline_title", "guideline", any_of=("guideline_title@title",),
         source="Guideline named in the title"),
    Rule("pt_review", "narrative_review", any_of=("pt_review@pt",),
         source="PubMed publication type Review without a systematic search"),
    Rule("review_title", "narrative_review", any_of=("review_title@title",),
         source="A review without a reported search (systematic-review rules come first)"),
    Rule("review_abstract", "narrative_review", any_of=("review_abstract@abstract",),
         source="A review without a reported search (systematic-review rules come first)"),
    Rule("review_of_studies", "narrative_review", any_of=("review_of_studies@abstract",),
         none_of=("primary_study@abstract", "randomised@done"),
         source="An abstract that summarises other studies and reports none of its own"),
    Rule("mechanistic_title", "mechanistic", any_of=("mechanistic_title@title",),
         source="Animal, laboratory or imaging study named in the title (before trial words: "
                "an fMRI study with a sham group is mechanistic)"),
    Rule("trial_secondary", "rct", any_of=("trial_secondary@done",),
         source="Labelling guide: economic evaluation or secondary analysis of an RCT is an RCT"),
    Rule("observational_self", "observational", any_of=("observational_self@abstract",),
         source="The authors call their study observational (e.g. adverse events collected in "
                "trial participants with no randomised comparison)"),
    Rule("randomised", "rct", any_of=("randomised@done",),
         source="Cochrane HSSS / Clinical Queries: randomised, randomly assigned"),
    Rule("non_randomised", "non_randomised_trial", any_of=("non_randomised@done",),
         source="Non-randomised, quasi-randomised, single-arm or before-after trials"),
    Rule("case_report_text", "case_report", any_of=("case_report@text",),
         source="Case report or case series wording"),
    Rule("observational_text", "observational", any_of=("observational@done",),
         source="Cohort, case-control, cross-sectional, survey, registry"),
    Rule("group_allocation", "non_randomised_trial", any_of=("group_allocation@done",),
         source="Groups formed and treated, randomisation not stated"),
    Rule("pt_trial", "non_randomised_trial", any_of=("pt_trial@pt",),
         source="PubMed Clinical Trial without any randomisation word"),
    Rule("methods_development", "other", any_of=("methods_development@text",),
         source="Development of a method, instrument or software: not a study of an effect"),
    Rule("mesh_animals_only", "mechanistic", all_of=("mesh_animals@mesh",),
         none_of=("mesh_humans@mesh",),
         source="Cochrane HSSS 'NOT (animals NOT humans)': indexed as an animal study"),
    Rule("mechanistic_abstract", "mechanistic", any_of=("mechanistic_abstract@text",),
         source="Animal, laboratory, imaging or physiology words in the abstract"),
    Rule("default_design", "other",
         source="Nothing above fired (includes records without an abstract or cues)"),
)

# ---------------------------------------------------------------------------------- conditions

#: Condition rules, tried in order; the first that fires decides.
CONDITION_RULES: tuple[Rule, ...] = (
    Rule("title_tth_and_neck", "both", all_of=("tth@title", "neck@title"),
         source="Both target conditions named in the title"),
    Rule("title_neck_with_other_pain", "chronic_pain", all_of=("neck@title",),
         any_of=("back@title", "other_pain@title"),
         source="Labelling guide: neck pain with low back pain (or another pain condition) is "
                "chronic_pain. Title only: MeSH adds Shoulder Pain or Chronic Pain to neck trials"),
    Rule("subject_tth", "tension_type_headache", all_of=("tth@subject",),
         none_of=("migraine@title",),
         source="Tension-type headache in the title, keywords or MeSH"),
    Rule("subject_neck", "neck_pain", all_of=("neck@subject",),
         source="Neck pain (whiplash, neck and shoulder pain, after neck surgery) in the title, "
                "keywords or MeSH"),
    Rule("title_safety_topic", "other", all_of=("safety@title",), none_of=("efficacy@title",),
         source="Labelling guide: safety surveys of routine practice are about no one condition"),
    Rule("subject_mechanism", "other", any_of=("mechanism@subject",),
         source="Labelling guide: mechanism reviews are about no one condition"),
    Rule("subject_chronic_pain", "chronic_pain", any_of=("chronic_pain@subject",),
         source="Chronic pain in general named in the title, keywords or MeSH"),
    Rule("subject_several_conditions", "chronic_pain",
         any_of=("back@subject", "other_pain@subject", "headache@subject"), min_any=2,
         source="Several pain conditions pooled"),
    Rule("subject_headache_tth_only", "tension_type_headache", all_of=("headache@subject",
                                                                         "tth@text"),
         none_of=("migraine@text",),
         source="'Headache' in the title, and the abstract names only tension-type headache"),
    Rule("subject_headache_other", "other", any_of=("headache@subject", "migraine@subject"),
         source="Labelling guide: chronic headache that is mostly migraine (or not TTH-specific) "
                "is other"),
    Rule("subject_other_condition", "other", any_of=("other_pain@subject",),
         source="One other pain condition (e.g. knee osteoarthritis)"),
    Rule("abstract_tth_and_neck", "both", all_of=("tth@text", "neck@text"),
         none_of=("back@text", "other_pain@text", "migraine@text"),
         source="Abstract names both target conditions and no other"),
    Rule("abstract_several_conditions", "chronic_pain",
         any_of=("tth@text", "neck@text", "back@text", "other_pain@text", "chronic_pain@text"),
         min_any=2, none_of=("safety@title",),
         source="Abstract pools several pain conditions"),
    Rule("abstract_tth", "tension_type_headache", all_of=("tth@text",),
         none_of=("migraine@text",), source="Abstract names tension-type headache only"),
    Rule("abstract_neck", "neck_pain", all_of=("neck@text",),
         source="Abstract names neck pain only"),
    Rule("default_condition", "other", source="No target condition named"),
)

# ---------------------------------------------------------------------------------- comparators

#: Kinds of control arm. Each whose cues match is collected; one kind is the
#: comparator, two or more are ``mixed``; none is ``none`` for a single arm
#: and ``active`` when a comparison is described but its kind not recognised.
COMPARATOR_RULES: tuple[Rule, ...] = (
    Rule("sham_control", "sham", any_of=("sham@methods",),
         source="Sham controls (see the cue's source)"),
    Rule("usual_care_control", "usual_care", any_of=("usual_care@methods",),
         source="Usual or routine care, waiting list, no treatment"),
    Rule("active_control", "active", any_of=("active@arms",),
         source="Another named treatment, or another form or dose of acupuncture, in a "
                "sentence that describes the groups"),
)

#: A protocol whose words match one of these is a review protocol (no comparator).
REVIEW_PROTOCOL_CUES: tuple[str, ...] = ("review_topic@title", "review_search_plan@abstract")
#: Cues of a single-arm study (comparator ``none``).
SINGLE_ARM_CUES: tuple[str, ...] = ("single_arm@methods",)
#: Cues of a described comparison whose kind no comparator rule recognised.
CONTROL_CUES: tuple[str, ...] = ("control_words@methods",)
