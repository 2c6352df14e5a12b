"""Every module that holds tables, imported so the metadata Alembic compares with the database is
complete. A new `models.py` is named here once; a table added to one already here needs nothing."""

from credit7_web.backoffice import models as backoffice
from credit7_web.documents import models as documents
from credit7_web.identity import models as identity
from credit7_web.ledger import models as ledger
from credit7_web.lending import models as lending
from credit7_web.messages import models as messages
from credit7_web.sandbox import models as sandbox
from credit7_web.servicing import models as servicing

MODULES = (backoffice, documents, identity, ledger, lending, messages, sandbox, servicing)
