"""instellingen: school address, staff phone, two mentors per class, school-year dates

Revision ID: 0004
Revises: 0003

`klas_mentor` gets every existing `klas.mentor_id` as position 1, so no assignment is lost;
`klas.mentor_id` stays (the first mentor) for the planning and the import.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("school") as batch:
        batch.add_column(sa.Column("adres", sa.String(length=200), server_default="", nullable=False))
    with op.batch_alter_table("staff_member") as batch:
        batch.add_column(sa.Column("telefoon", sa.String(length=40), server_default="", nullable=False))

    op.create_table(
        "klas_mentor",
        sa.Column("klas_id", sa.Integer(), nullable=False),
        sa.Column("staff_member_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["klas_id"], ["klas.id"], name=op.f("fk_klas_mentor_klas_id_klas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_member_id"],
            ["staff_member.id"],
            name=op.f("fk_klas_mentor_staff_member_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("klas_id", "staff_member_id", name=op.f("pk_klas_mentor")),
        sa.UniqueConstraint("klas_id", "position", name=op.f("uq_klas_mentor_klas_id_position")),
    )
    with op.batch_alter_table("klas_mentor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_klas_mentor_staff_member_id"), ["staff_member_id"], unique=False)

    op.create_table(
        "school_year_date",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_school_year_date_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_school_year_date_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_year_id"],
            ["school_year.id"],
            name=op.f("fk_school_year_date_school_year_id_school_year"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_year_date")),
    )
    with op.batch_alter_table("school_year_date", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_year_date_school_id"), ["school_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_school_year_date_school_year_id"), ["school_year_id"], unique=False
        )

    # Every class keeps its mentor: the existing assignment becomes position 1.
    op.execute(
        "INSERT INTO klas_mentor (klas_id, staff_member_id, position) "
        "SELECT id, mentor_id, 1 FROM klas WHERE mentor_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("school_year_date", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_year_date_school_year_id"))
        batch_op.drop_index(batch_op.f("ix_school_year_date_school_id"))
    op.drop_table("school_year_date")
    with op.batch_alter_table("klas_mentor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_klas_mentor_staff_member_id"))
    op.drop_table("klas_mentor")
    with op.batch_alter_table("staff_member") as batch:
        batch.drop_column("telefoon")
    with op.batch_alter_table("school") as batch:
        batch.drop_column("adres")
