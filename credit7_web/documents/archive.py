"""The private store of issued PDFs: under settings.data_dir/documents, never in a public folder.

The database keeps each file's sha256, and a file that no longer matches it is never served.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from credit7_web.clock import Clock
from credit7_web.documents.models import Document
from credit7_web.private_files import PrivateFolder
from credit7_web.settings import Settings

DOCUMENTS = PrivateFolder("documents", "pdf")


def store_document(
    db: Session,
    clock: Clock,
    settings: Settings,
    borrower_id: int,
    loan_id: int | None,
    kind: str,
    title: str,
    pdf: bytes,
    *,
    commit: bool = True,
) -> Document:
    """Write the PDF under data_dir/documents and record it with its sha256.

    Always flushes (the Document has its id); commits only with `commit=True`, so a service
    may pass `commit=False` and keep the document inside its own transaction. If that
    transaction rolls back, the file stays on disk unreferenced (harmless, never served).
    """
    return DOCUMENTS.save(
        db,
        settings,
        pdf,
        lambda name, sha256: Document(
            borrower_id=borrower_id,
            loan_id=loan_id,
            kind=kind,
            title=title,
            file_name=name,
            sha256=sha256,
            created_at=clock.now(),
        ),
        commit,
    )


def read_document(
    db: Session, settings: Settings, borrower_id: int, document_id: int
) -> tuple[Document, bytes] | None:
    """The document and its bytes, or None: not this borrower's, missing, or altered on disk."""
    doc = db.get(Document, document_id)
    if doc is None or doc.borrower_id != borrower_id:
        return None
    data = DOCUMENTS.read(settings, doc.file_name, doc.sha256)
    return (doc, data) if data is not None else None


def documents_of(db: Session, borrower_id: int, loan_id: int | None = None) -> list[Document]:
    """The borrower's documents, oldest first; with `loan_id`, only that loan's."""
    query = select(Document).where(Document.borrower_id == borrower_id)
    if loan_id is not None:
        query = query.where(Document.loan_id == loan_id)
    return list(db.exec(query.order_by(col(Document.created_at), col(Document.id))).all())
