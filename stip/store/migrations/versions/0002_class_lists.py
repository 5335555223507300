"""class lists: retention, pseudonyms, students missing from a new list

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("school") as batch:
        batch.add_column(sa.Column("retention_months", sa.Integer(), server_default="24", nullable=False))
        batch.add_column(sa.Column("pseudonym_secret", sa.String(length=64), nullable=True))
    with op.batch_alter_table("student") as batch:
        batch.add_column(sa.Column("missing_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("student") as batch:
        batch.drop_column("missing_since")
    with op.batch_alter_table("school") as batch:
        batch.drop_column("pseudonym_secret")
        batch.drop_column("retention_months")
