"""Split an interview into the projects the interviewee describes.

Interviewees introduce their projects by what they are about ("projects
related with NLP to create a recommender system", "computer vision ... to
count inventories", "detect nickel deposits") and later refer back to them
("the NLP project I told you about"). So a project is found from the domain
cues of ``domains.yaml``: a sentence of the interviewee naming domains that
no project has yet opens a new project with those domains; a sentence naming
a known project's domain is about that project. A project needs at least
:data:`MIN_CUES` cues in the interview, so that one passing word does not
make a project.

An excerpt is ABOUT the projects its sentences name, and the excerpt right
after one that names a project continues it (speech runs over paragraph
breaks). The issues coded on a project's excerpts are the issues it FACED.
A project is named by its most distinctive words in the interview (those
that occur in its excerpts more than in the other projects') and its domain
label, e.g. "products, shelf, smartphone (vision)".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from graph.knowledge.phrases import longest_matches, package_vocabulary
from graph.knowledge.textnorm import STOPWORDS, stem, words
from graph.knowledge.transcript import INTERVIEWER, ExcerptView, TranscriptView

MIN_CUES = 2
NAME_WORDS = 3
DOMAINS = package_vocabulary("domains.yaml", "domains")
_DOMAIN_MATCHERS = {key: entry["matchers"] for key, entry in DOMAINS.items()}


@dataclass
class ProjectFinding:
    """One project of one interview, with the excerpts about it and the issues raised."""

    id: str
    interview: str
    domains: list[str]
    name: str = ""
    cues: int = 0
    excerpts: list[ExcerptView] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return " / ".join(DOMAINS[d]["name"] for d in self.domains)

    @property
    def issues(self) -> set[str]:
        return {i for e in self.excerpts for i in e.issues | e.fixes}


def _sentence_domains(excerpt: ExcerptView) -> list[list[str]]:
    """Per sentence, the domains its cues name, in order of first mention."""
    return [
        list(dict.fromkeys(key for key, _ in longest_matches(_DOMAIN_MATCHERS, s.stemmed)))
        for s in excerpt.sentences
    ]


def find_projects(view: TranscriptView) -> list[ProjectFinding]:
    """The projects of one transcript, with the excerpts about each."""
    projects: list[ProjectFinding] = []
    direct: dict[str, list[ProjectFinding]] = {}
    cued: dict[str, set[int]] = defaultdict(set)  # "project@excerpt" -> sentences naming it
    for excerpt in view.excerpts:
        named: list[ProjectFinding] = []
        for index, domains in enumerate(_sentence_domains(excerpt)):
            owners = [p for p in projects if set(p.domains) & set(domains)]
            known = {d for p in owners for d in p.domains}
            new = [d for d in domains if d not in known]
            if new and excerpt.role != INTERVIEWER:
                # Only the interviewee introduces projects; the interviewer's
                # cues only point back to them.
                owners.append(ProjectFinding(_project_id(view.interview, new), view.interview, new))
                projects.append(owners[-1])
            for project in owners:
                project.cues += sum(1 for d in domains if d in project.domains)
                cued[project.id + "@" + excerpt.id].add(index)
                if project not in named:
                    named.append(project)
        direct[excerpt.id] = named
    kept = [p for p in projects if p.cues >= MIN_CUES]
    previous: list[ProjectFinding] = []
    for excerpt in view.excerpts:
        about = [p for p in direct[excerpt.id] if p in kept]
        for project in about or previous:
            project.excerpts.append(excerpt)
        # Only a directly named project carries over, and only one excerpt far.
        previous = about
    _name(kept, cued)
    return kept


def _project_id(interview: str, domains: list[str]) -> str:
    return f"{interview}/" + "+".join(domains)


def _name(projects: list[ProjectFinding], cued: dict[str, set[int]]) -> None:
    """Name each project by its most distinctive words and its domain label.

    Words of the sentences that name the project count double: that is where
    interviewees say what it is about.
    """
    counts: dict[str, Counter[str]] = {}
    surface: dict[str, Counter[str]] = defaultdict(Counter)
    cue_stems = {s for p in projects for d in p.domains for s in _label_stems(d)}
    for project in projects:
        counter: Counter[str] = Counter()
        for excerpt in project.excerpts:
            if excerpt.role == INTERVIEWER:
                continue
            for index, sentence in enumerate(excerpt.sentences):
                weight = 2 if index in cued[project.id + "@" + excerpt.id] else 1
                for word in words(sentence.text):
                    stemmed = stem(word)
                    if stemmed in STOPWORDS or stemmed in cue_stems or len(word) < 4 or not word.isalpha():
                        continue
                    counter[stemmed] += weight
                    surface[stemmed][word] += 1
        counts[project.id] = counter
    for project in projects:
        others: Counter[str] = Counter()
        for other in projects:
            if other is not project:
                others.update(counts[other.id])
        mine = counts[project.id]
        # Said more than once, frequent here, rare in the interview's other projects.
        ranked = sorted((s for s in mine if mine[s] > 1), key=lambda s: (-mine[s] / (1 + others[s]), s))
        chosen = [surface[s].most_common(1)[0][0] for s in ranked[:NAME_WORDS]]
        label = " / ".join(DOMAINS[d]["label"] for d in project.domains)
        project.name = f"{', '.join(chosen)} ({label})" if chosen else label


def _label_stems(domain: str) -> set[str]:
    entry = DOMAINS[domain]
    return {stem(w) for text in [entry["name"], entry["label"]] for w in words(text)}
