"""evidence: an evidence-review workbook for acupuncture in tension-type headache and neck pain.

Importing the package has no side effects: nothing is read, written, logged
or fetched until a function is called. The stages live in their own modules:

- :mod:`evidence.settings` - the environment's settings (mode, NCBI identity, folders)
- :mod:`evidence.pubmed` - search and fetch (the only importer of ``Bio.Entrez``)
- :mod:`evidence.snapshot` - the recorded E-utilities answers
- :mod:`evidence.records` - efetch XML to the tidy records table
- :mod:`evidence.review` - the review's steps as one call each
- :mod:`evidence.cli` - the ``evidence`` command
"""

from .errors import EvidenceError

__version__ = "0.1.0"
__all__ = ["EvidenceError", "__version__"]
