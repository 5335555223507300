"""first records

Revision ID: 0001
Revises: (none)
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "school",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_demo", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school")),
    )
    op.create_table(
        "staff_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=200), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=40), server_default="mentor", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_staff_member_school_id_school"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_member")),
        sa.UniqueConstraint("school_id", "login", name=op.f("uq_staff_member_school_id_login")),
    )
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_member_school_id"), ["school_id"], unique=False)

    op.create_table(
        "guardian",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("naam", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), server_default="", nullable=False),
        sa.Column("telefoon", sa.String(length=40), server_default="", nullable=False),
        sa.Column("taal", sa.String(length=60), server_default="Nederlands", nullable=False),
        sa.Column("tolk_nodig", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("voorkeurskanaal", sa.String(length=40), server_default="", nullable=False),
        sa.Column("gezag", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("contact_afgeschermd", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_guardian_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_guardian_school_id_school"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardian")),
    )
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guardian_school_id"), ["school_id"], unique=False)

    op.create_table(
        "school_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_school_year_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_school_year_school_id_school"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_year")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_school_year_school_id_name")),
    )
    with op.batch_alter_table("school_year", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_school_year_school_id"), ["school_id"], unique=False)

    op.create_table(
        "klas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_klas_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["staff_member.id"],
            name=op.f("fk_klas_mentor_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_klas_school_id_school"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_year_id"],
            ["school_year.id"],
            name=op.f("fk_klas_school_year_id_school_year"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_klas")),
        sa.UniqueConstraint("school_year_id", "name", name=op.f("uq_klas_school_year_id_name")),
    )
    with op.batch_alter_table("klas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_klas_school_id"), ["school_id"], unique=False)

    op.create_table(
        "student",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("leerlingnummer", sa.String(length=40), nullable=False),
        sa.Column("roepnaam", sa.String(length=200), nullable=False),
        sa.Column("tussenvoegsel", sa.String(length=200), server_default="", nullable=False),
        sa.Column("achternaam", sa.String(length=200), nullable=False),
        sa.Column("klas_id", sa.Integer(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_student_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["klas_id"], ["klas.id"], name=op.f("fk_student_klas_id_klas"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_student_school_id_school"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_student")),
        sa.UniqueConstraint("school_id", "leerlingnummer", name=op.f("uq_student_school_id_leerlingnummer")),
    )
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_student_klas_id"), ["klas_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_student_school_id"), ["school_id"], unique=False)

    op.create_table(
        "sibling_link",
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("sibling_id", sa.Integer(), nullable=False),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["confirmed_by"],
            ["staff_member.id"],
            name=op.f("fk_sibling_link_confirmed_by_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sibling_id"],
            ["student.id"],
            name=op.f("fk_sibling_link_sibling_id_student"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_sibling_link_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("student_id", "sibling_id", name=op.f("pk_sibling_link")),
    )
    with op.batch_alter_table("sibling_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sibling_link_sibling_id"), ["sibling_id"], unique=False)

    op.create_table(
        "student_guardian",
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.Integer(), nullable=False),
        sa.Column("relatie", sa.String(length=60), server_default="ouder", nullable=False),
        sa.Column("apart_informeren", sa.Boolean(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["guardian_id"],
            ["guardian.id"],
            name=op.f("fk_student_guardian_guardian_id_guardian"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_student_guardian_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("student_id", "guardian_id", name=op.f("pk_student_guardian")),
    )
    with op.batch_alter_table("student_guardian", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_student_guardian_guardian_id"), ["guardian_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("student_guardian", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_student_guardian_guardian_id"))

    op.drop_table("student_guardian")
    with op.batch_alter_table("sibling_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sibling_link_sibling_id"))

    op.drop_table("sibling_link")
    with op.batch_alter_table("student", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_student_school_id"))
        batch_op.drop_index(batch_op.f("ix_student_klas_id"))

    op.drop_table("student")
    with op.batch_alter_table("klas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_klas_school_id"))

    op.drop_table("klas")
    with op.batch_alter_table("school_year", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_year_school_id"))

    op.drop_table("school_year")
    with op.batch_alter_table("guardian", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guardian_school_id"))

    op.drop_table("guardian")
    with op.batch_alter_table("staff_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_member_school_id"))

    op.drop_table("staff_member")
    op.drop_table("school")
