"""startgesprek

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "text_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("subject", sa.String(length=200), server_default="", nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_text_template_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["staff_member.id"],
            name=op.f("fk_text_template_owner_id_staff_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_text_template_school_id_school"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_template")),
        sa.UniqueConstraint("owner_id", "key", name=op.f("uq_text_template_owner_id_key")),
    )
    with op.batch_alter_table("text_template", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_text_template_school_id"), ["school_id"], unique=False)

    op.create_table(
        "slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("klas_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), server_default="startgesprek", nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("location", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_slot_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["klas_id"], ["klas.id"], name=op.f("fk_slot_klas_id_klas"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["staff_member.id"],
            name=op.f("fk_slot_mentor_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_slot_school_id_school"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot")),
    )
    with op.batch_alter_table("slot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slot_klas_id"), ["klas_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_slot_school_id"), ["school_id"], unique=False)

    op.create_table(
        "communicatieplan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("vormen", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("momenten", sa.Text(), server_default="", nullable=False),
        sa.Column("frequentie", sa.String(length=200), server_default="", nullable=False),
        sa.Column("initiatief", sa.String(length=40), server_default="", nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_communicatieplan_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_communicatieplan_school_id_school"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_year_id"],
            ["school_year.id"],
            name=op.f("fk_communicatieplan_school_year_id_school_year"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_communicatieplan_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communicatieplan")),
        sa.UniqueConstraint(
            "student_id", "school_year_id", name=op.f("uq_communicatieplan_student_id_school_year_id")
        ),
    )
    with op.batch_alter_table("communicatieplan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_communicatieplan_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_communicatieplan_student_id"), ["student_id"], unique=False)

    op.create_table(
        "conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), server_default="startgesprek", nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("invited_via", sa.String(length=40), server_default="", nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("present", sa.JSON(), server_default="{}", nullable=False),
        sa.Column("shared_goal", sa.Text(), server_default="", nullable=False),
        sa.Column("collective_info", sa.String(length=20), server_default="", nullable=False),
        sa.Column("collective_info_when", sa.String(length=200), server_default="", nullable=False),
        sa.Column("buddy", sa.String(length=20), server_default="", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_conversation_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_conversation_school_id_school"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_year_id"],
            ["school_year.id"],
            name=op.f("fk_conversation_school_year_id_school_year"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"], ["slot.id"], name=op.f("fk_conversation_slot_id_slot"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["student.id"],
            name=op.f("fk_conversation_student_id_student"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversation")),
        sa.UniqueConstraint("slot_id", name=op.f("uq_conversation_slot_id")),
    )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conversation_student_id"), ["student_id"], unique=False)

    op.create_table(
        "gouden_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("school_year_id", sa.Integer(), nullable=False),
        sa.Column("positief", sa.Text(), server_default="", nullable=False),
        sa.Column("vragen", sa.JSON(), server_default="[]", nullable=False),
        sa.Column("status", sa.String(length=20), server_default="concept", nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_gouden_mail_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_gouden_mail_school_id_school"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_year_id"],
            ["school_year.id"],
            name=op.f("fk_gouden_mail_school_year_id_school_year"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_gouden_mail_student_id_student"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gouden_mail")),
        sa.UniqueConstraint(
            "student_id", "school_year_id", name=op.f("uq_gouden_mail_student_id_school_year_id")
        ),
    )
    with op.batch_alter_table("gouden_mail", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gouden_mail_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_gouden_mail_student_id"), ["student_id"], unique=False)

    op.create_table(
        "afspraak",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=True),
        sa.Column("wat", sa.Text(), nullable=False),
        sa.Column("wie", sa.String(length=200), server_default="", nullable=False),
        sa.Column("wanneer", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("evaluatie", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["staff_member.id"],
            name=op.f("fk_afspraak_author_id_staff_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_afspraak_conversation_id_conversation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["school.id"], name=op.f("fk_afspraak_school_id_school"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["student.id"], name=op.f("fk_afspraak_student_id_student"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afspraak")),
    )
    with op.batch_alter_table("afspraak", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_afspraak_school_id"), ["school_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_afspraak_student_id"), ["student_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("afspraak", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_afspraak_student_id"))
        batch_op.drop_index(batch_op.f("ix_afspraak_school_id"))

    op.drop_table("afspraak")
    with op.batch_alter_table("gouden_mail", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gouden_mail_student_id"))
        batch_op.drop_index(batch_op.f("ix_gouden_mail_school_id"))

    op.drop_table("gouden_mail")
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_student_id"))
        batch_op.drop_index(batch_op.f("ix_conversation_school_id"))

    op.drop_table("conversation")
    with op.batch_alter_table("communicatieplan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_communicatieplan_student_id"))
        batch_op.drop_index(batch_op.f("ix_communicatieplan_school_id"))

    op.drop_table("communicatieplan")
    with op.batch_alter_table("slot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slot_school_id"))
        batch_op.drop_index(batch_op.f("ix_slot_klas_id"))

    op.drop_table("slot")
    with op.batch_alter_table("text_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_text_template_school_id"))

    op.drop_table("text_template")
