"""The catalog (seed 001, issue 18): published library items with their snapshots, tags,
reviews, views, downloads; carts, orders and purchases; seller applications and profiles.

Counts on ``catalog_items`` are kept by triggers on both databases: a review adds its stars
to ``rating_total`` and one to ``review_count`` in a single UPDATE (so two people reviewing at
once both count: each UPDATE waits for the other's row lock and adds to what it left), a view
(one row per person, item and day) adds one to ``view_count``, a first get one to
``download_count``.

Row-level security on PostgreSQL follows services/catalog/ rule for rule:

- items: everyone reads published ones, a seller their own, a buyer what they bought; only
  the seller writes, a price above 0 needs an approved seller application, and nobody writes
  the counts (only the triggers, as the tables' owner).
- contents (the full text): the seller, a buyer, or anyone when the item is free and
  published. So a paid item's text stays unread until bought; its ``preview`` (first lines)
  is on the item.
- reviews: read by all; written by oneself, never on one's own item or an unpublished one.
- views, downloads, cart: one's own rows only (a download only of what one may read).
- orders and purchases: written once by the buyer at the item's current price and version,
  never changed; read by the buyer, and the seller sees their sales.
- seller applications: one's own, read and processed by an owner of a workspace the
  applicant belongs to (the database admin, owning the tables, passes every policy).
- profiles: read by all, written by oneself.

Revision ID: 0023_catalog
Revises: 0022_code_runs
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0023_catalog"
down_revision: str | None = "0022_code_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
GROUP_ROLE = "promptterm_user"
UID = "promptterm_uid()"
TABLES = (
    "catalog_views",
    "catalog_tags",
    "catalog_reviews",
    "catalog_purchases",
    "catalog_downloads",
    "catalog_contents",
    "catalog_cart",
    "seller_applications",
    "catalog_profiles",
    "catalog_orders",
    "catalog_items",
)


def upgrade() -> None:
    op.create_table(
        "catalog_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=False),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("image_urls", JSON, nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("preview", sa.String(), nullable=False),
        sa.Column("search_text", sa.String(), nullable=False),
        sa.Column("rating", sa.Float(), nullable=False),
        sa.Column("rating_total", sa.Integer(), nullable=False),
        sa.Column("review_count", sa.Integer(), nullable=False),
        sa.Column("download_count", sa.Integer(), nullable=False),
        sa.Column("view_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('component', 'preset', 'prompt')", name=op.f("ck_catalog_items_kind")
        ),
        sa.CheckConstraint(
            "price >= 0 AND price <= 100000000", name=op.f("ck_catalog_items_price_range")
        ),
        sa.CheckConstraint(
            "rating_total >= 0 AND review_count >= 0",
            name=op.f("ck_catalog_items_reviews_positive"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_catalog_items_version_positive")),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["users.id"],
            name=op.f("fk_catalog_items_seller_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_items")),
        sa.UniqueConstraint(
            "seller_id", "kind", "source_id", name=op.f("uq_catalog_items_seller_id_kind_source_id")
        ),
    )
    op.create_index(
        op.f("ix_catalog_items_published_created_at_id"),
        "catalog_items",
        ["published", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_catalog_items_published_download_count_id"),
        "catalog_items",
        ["published", "download_count", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_catalog_items_published_price_id"),
        "catalog_items",
        ["published", "price", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_catalog_items_published_rating_review_count_id"),
        "catalog_items",
        ["published", "rating", "review_count", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_catalog_items_seller_id"), "catalog_items", ["seller_id"], unique=False
    )
    op.create_table(
        "catalog_orders",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("payment_order_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_id"],
            ["users.id"],
            name=op.f("fk_catalog_orders_buyer_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_orders")),
        sa.UniqueConstraint("payment_order_id", name=op.f("uq_catalog_orders_payment_order_id")),
    )
    op.create_index(
        op.f("ix_catalog_orders_buyer_id"), "catalog_orders", ["buyer_id"], unique=False
    )
    op.create_table(
        "catalog_profiles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("nickname", sa.String(length=100), nullable=False),
        sa.Column("avatar_url", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_catalog_profiles_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_catalog_profiles")),
    )
    op.create_table(
        "seller_applications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("portfolio_url", sa.String(length=500), nullable=True),
        sa.Column("categories", JSON, nullable=False),
        sa.Column("message", sa.String(length=2000), nullable=True),
        sa.Column("processed", sa.Boolean(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("processed_by", sa.Uuid(), nullable=True),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IS NULL OR decision IN ('approved', 'declined')",
            name=op.f("ck_seller_applications_decision"),
        ),
        sa.ForeignKeyConstraint(
            ["processed_by"],
            ["users.id"],
            name=op.f("fk_seller_applications_processed_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_seller_applications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seller_applications")),
    )
    op.create_index(
        op.f("ix_seller_applications_processed_created_at"),
        "seller_applications",
        ["processed", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_seller_applications_user_id"), "seller_applications", ["user_id"], unique=False
    )
    op.create_table(
        "catalog_cart",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_catalog_cart_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_catalog_cart_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "item_id", name=op.f("pk_catalog_cart")),
    )
    op.create_table(
        "catalog_contents",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("snapshot", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_catalog_contents_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "version", name=op.f("pk_catalog_contents")),
    )
    op.create_table(
        "catalog_downloads",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("library_ids", JSON, nullable=False),
        sa.Column("got_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_catalog_downloads_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_catalog_downloads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_catalog_downloads")),
    )
    op.create_table(
        "catalog_purchases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_catalog_purchases_amount_positive")),
        sa.ForeignKeyConstraint(
            ["buyer_id"],
            ["users.id"],
            name=op.f("fk_catalog_purchases_buyer_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_catalog_purchases_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["catalog_orders.id"],
            name=op.f("fk_catalog_purchases_order_id_catalog_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["users.id"],
            name=op.f("fk_catalog_purchases_seller_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_purchases")),
        sa.UniqueConstraint(
            "buyer_id", "item_id", name=op.f("uq_catalog_purchases_buyer_id_item_id")
        ),
    )
    op.create_index(
        op.f("ix_catalog_purchases_item_id"), "catalog_purchases", ["item_id"], unique=False
    )
    op.create_index(
        op.f("ix_catalog_purchases_order_id"), "catalog_purchases", ["order_id"], unique=False
    )
    op.create_index(
        op.f("ix_catalog_purchases_seller_id_created_at"),
        "catalog_purchases",
        ["seller_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "catalog_reviews",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=2000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name=op.f("ck_catalog_reviews_stars_range")),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_catalog_reviews_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_catalog_reviews_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_catalog_reviews")),
    )
    op.create_table(
        "catalog_tags",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("tag", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_catalog_tags_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "tag", name=op.f("pk_catalog_tags")),
    )
    op.create_index(
        op.f("ix_catalog_tags_tag_item_id"), "catalog_tags", ["tag", "item_id"], unique=False
    )
    op.create_table(
        "catalog_views",
        sa.Column("item_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["catalog_items.id"],
            name=op.f("fk_catalog_views_item_id_catalog_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_catalog_views_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", "day", name=op.f("pk_catalog_views")),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_FUNCTIONS:
            op.execute(statement)
        _row_level_security()
        op.execute(PG_SEARCH)
    else:
        for statement in SQLITE_TRIGGERS + SQLITE_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    if op.get_bind().dialect.name == "postgresql":
        for table in ("catalog_reviews", "catalog_views", "catalog_downloads"):
            op.execute(f"DROP TRIGGER IF EXISTS promptterm_catalog_counts ON {table}")
        for name in FUNCTION_NAMES:
            op.execute(f"DROP FUNCTION IF EXISTS {name} CASCADE")
    for table in TABLES:
        op.drop_table(table)


# -- search ---------------------------------------------------------------------------------
# Search finds every word of the query anywhere in ``search_text`` (lower-cased title,
# description and tags), as LIKE '%word%' does, but from an index of trigrams: on SQLite an
# external-content FTS5 table with the trigram tokenizer, on PostgreSQL a pg_trgm GIN index.
# Words under three letters have no trigram: those fall back to LIKE on the table.

FTS_TABLE = "catalog_items_fts"
SQLITE_SEARCH = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, content='catalog_items',"
    " tokenize='trigram')",
    f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON catalog_items BEGIN"
    f" INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON catalog_items BEGIN"
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)"
    " VALUES ('delete', old.rowid, old.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE OF search_text ON catalog_items BEGIN"
    f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)"
    " VALUES ('delete', old.rowid, old.search_text);"
    f" INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
)
# pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it. Without
# it search still works, by scanning; the notice says what a DBA can do.
PG_SEARCH = """
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX ix_catalog_items_search_trgm ON catalog_items
    USING gin (search_text gin_trgm_ops);
EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
  RAISE NOTICE 'promptterm: catalog search will scan (no pg_trgm index): %', SQLERRM;
END $$;
"""

# -- counts ---------------------------------------------------------------------------------

_ADD = (
    "UPDATE catalog_items SET rating_total = rating_total + {d}, review_count = review_count + {n},"
    " rating = CASE WHEN review_count + {n} > 0"
    " THEN (rating_total + {d}) * 1.0 / (review_count + {n}) ELSE 0 END WHERE id = {item}"
)

SQLITE_TRIGGERS = (
    "CREATE TRIGGER catalog_review_added AFTER INSERT ON catalog_reviews BEGIN "
    + _ADD.format(d="NEW.stars", n="1", item="NEW.item_id")
    + "; END",
    "CREATE TRIGGER catalog_review_changed AFTER UPDATE OF stars ON catalog_reviews BEGIN "
    + _ADD.format(d="NEW.stars - OLD.stars", n="0", item="NEW.item_id")
    + "; END",
    "CREATE TRIGGER catalog_review_removed AFTER DELETE ON catalog_reviews BEGIN "
    + _ADD.format(d="-OLD.stars", n="-1", item="OLD.item_id")
    + "; END",
    "CREATE TRIGGER catalog_view_added AFTER INSERT ON catalog_views BEGIN"
    " UPDATE catalog_items SET view_count = view_count + 1 WHERE id = NEW.item_id; END",
    "CREATE TRIGGER catalog_download_added AFTER INSERT ON catalog_downloads BEGIN"
    " UPDATE catalog_items SET download_count = download_count + 1 WHERE id = NEW.item_id; END",
)

FUNCTION_NAMES = (
    "promptterm_catalog_counts()",
    "promptterm_catalog_bought(uuid)",
    "promptterm_catalog_readable(uuid)",
    "promptterm_catalog_may_review(uuid)",
    "promptterm_is_seller()",
    "promptterm_may_process_seller(uuid)",
)

PG_FUNCTIONS = (
    # SECURITY DEFINER: the counts are written as the tables' owner, whom the policies and
    # the kept-columns trigger below do not stop; nobody else writes them.
    """
    CREATE OR REPLACE FUNCTION promptterm_catalog_counts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS
    $$
    BEGIN
      IF TG_TABLE_NAME = 'catalog_views' THEN
        UPDATE catalog_items SET view_count = view_count + 1 WHERE id = NEW.item_id;
      ELSIF TG_TABLE_NAME = 'catalog_downloads' THEN
        UPDATE catalog_items SET download_count = download_count + 1 WHERE id = NEW.item_id;
      ELSIF TG_OP = 'INSERT' THEN
        """
    + _ADD.format(d="NEW.stars", n="1", item="NEW.item_id")
    + """;
      ELSIF TG_OP = 'UPDATE' THEN
        """
    + _ADD.format(d="NEW.stars - OLD.stars", n="0", item="NEW.item_id")
    + """;
      ELSE
        """
    + _ADD.format(d="-OLD.stars", n="-1", item="OLD.item_id")
    + """;
      END IF;
      RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION promptterm_catalog_bought(item uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
    $$ SELECT EXISTS (SELECT 1 FROM catalog_purchases p
                      WHERE p.item_id = item AND p.buyer_id = {UID}) $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION promptterm_catalog_readable(item uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
    $$ SELECT EXISTS (SELECT 1 FROM catalog_items i WHERE i.id = item AND (
         i.seller_id = {UID} OR (i.price = 0 AND i.published)
         OR promptterm_catalog_bought(i.id))) $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION promptterm_catalog_may_review(item uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
    $$ SELECT EXISTS (SELECT 1 FROM catalog_items i
                      WHERE i.id = item AND i.published AND i.seller_id <> {UID}) $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION promptterm_is_seller() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
    $$ SELECT EXISTS (SELECT 1 FROM seller_applications a
                      WHERE a.user_id = {UID} AND a.decision = 'approved') $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION promptterm_may_process_seller(applicant uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
    $$ SELECT EXISTS (SELECT 1 FROM workspaces w
                      JOIN workspace_members m ON m.workspace_id = w.id
                      WHERE w.owner_id = {UID} AND m.user_id = applicant) $$
    """,
)

OWN = f"user_id = {UID}"
SELLS = "(price = 0 OR promptterm_is_seller())"
NO_COUNTS = (
    "rating = 0 AND rating_total = 0 AND review_count = 0 AND download_count = 0 AND view_count = 0"
)
MY_ITEM = f"EXISTS (SELECT 1 FROM catalog_items i WHERE i.id = item_id AND i.seller_id = {UID})"

POLICIES = (
    "CREATE POLICY catalog_profiles_read ON catalog_profiles FOR SELECT USING (true)",
    f"CREATE POLICY catalog_profiles_write ON catalog_profiles FOR INSERT WITH CHECK ({OWN})",
    f"CREATE POLICY catalog_profiles_update ON catalog_profiles FOR UPDATE USING ({OWN})"
    f" WITH CHECK ({OWN})",
    "CREATE POLICY catalog_items_read ON catalog_items FOR SELECT"
    f" USING (published OR seller_id = {UID} OR promptterm_catalog_bought(id))",
    "CREATE POLICY catalog_items_insert ON catalog_items FOR INSERT"
    f" WITH CHECK (seller_id = {UID} AND {SELLS} AND {NO_COUNTS})",
    f"CREATE POLICY catalog_items_update ON catalog_items FOR UPDATE USING (seller_id = {UID})"
    f" WITH CHECK (seller_id = {UID} AND {SELLS})",
    f"CREATE POLICY catalog_items_delete ON catalog_items FOR DELETE USING (seller_id = {UID})",
    "CREATE POLICY catalog_tags_read ON catalog_tags FOR SELECT"
    " USING (item_id IN (SELECT id FROM catalog_items))",
    f"CREATE POLICY catalog_tags_write ON catalog_tags FOR INSERT WITH CHECK ({MY_ITEM})",
    f"CREATE POLICY catalog_tags_delete ON catalog_tags FOR DELETE USING ({MY_ITEM})",
    "CREATE POLICY catalog_contents_read ON catalog_contents FOR SELECT"
    " USING (promptterm_catalog_readable(item_id))",
    f"CREATE POLICY catalog_contents_insert ON catalog_contents FOR INSERT WITH CHECK ({MY_ITEM})",
    "CREATE POLICY catalog_reviews_read ON catalog_reviews FOR SELECT"
    " USING (item_id IN (SELECT id FROM catalog_items))",
    "CREATE POLICY catalog_reviews_insert ON catalog_reviews FOR INSERT"
    f" WITH CHECK ({OWN} AND promptterm_catalog_may_review(item_id))",
    f"CREATE POLICY catalog_reviews_update ON catalog_reviews FOR UPDATE USING ({OWN})"
    f" WITH CHECK ({OWN} AND promptterm_catalog_may_review(item_id))",
    f"CREATE POLICY catalog_reviews_delete ON catalog_reviews FOR DELETE USING ({OWN})",
    f"CREATE POLICY catalog_views_own ON catalog_views FOR SELECT USING ({OWN})",
    "CREATE POLICY catalog_views_insert ON catalog_views FOR INSERT"
    f" WITH CHECK ({OWN} AND item_id IN (SELECT id FROM catalog_items))",
    f"CREATE POLICY catalog_downloads_own ON catalog_downloads FOR ALL USING ({OWN})"
    f" WITH CHECK ({OWN} AND promptterm_catalog_readable(item_id))",
    f"CREATE POLICY catalog_cart_own ON catalog_cart FOR ALL USING ({OWN})"
    f" WITH CHECK ({OWN} AND item_id IN (SELECT id FROM catalog_items WHERE published))",
    f"CREATE POLICY catalog_orders_read ON catalog_orders FOR SELECT USING (buyer_id = {UID})",
    "CREATE POLICY catalog_orders_insert ON catalog_orders FOR INSERT"
    f" WITH CHECK (buyer_id = {UID})",
    "CREATE POLICY catalog_purchases_read ON catalog_purchases FOR SELECT"
    f" USING (buyer_id = {UID} OR seller_id = {UID})",
    "CREATE POLICY catalog_purchases_insert ON catalog_purchases FOR INSERT WITH CHECK ("
    f" buyer_id = {UID}"
    f" AND order_id IN (SELECT id FROM catalog_orders o WHERE o.buyer_id = {UID})"
    " AND EXISTS (SELECT 1 FROM catalog_items i WHERE i.id = item_id AND i.published"
    "   AND i.price = amount AND i.currency = catalog_purchases.currency"
    "   AND i.seller_id = catalog_purchases.seller_id AND i.version = catalog_purchases.version))",
    "CREATE POLICY seller_applications_read ON seller_applications FOR SELECT"
    f" USING ({OWN} OR promptterm_may_process_seller(user_id))",
    "CREATE POLICY seller_applications_insert ON seller_applications FOR INSERT"
    f" WITH CHECK ({OWN} AND NOT processed AND decision IS NULL AND processed_by IS NULL)",
    "CREATE POLICY seller_applications_process ON seller_applications FOR UPDATE"
    " USING (promptterm_may_process_seller(user_id))"
    f" WITH CHECK (promptterm_may_process_seller(user_id) AND processed_by = {UID})",
)

KEPT = (
    (
        "catalog_items",
        "'id', 'seller_id', 'kind', 'source_id', 'created_at', 'rating', 'rating_total',"
        " 'review_count', 'download_count', 'view_count'",
    ),
    (
        "seller_applications",
        "'id', 'user_id', 'name', 'email', 'portfolio_url', 'categories', 'message', 'created_at'",
    ),
    ("catalog_reviews", "'item_id', 'user_id', 'created_at'"),
)

GRANTS = {
    "SELECT, INSERT, UPDATE, DELETE": (
        "catalog_items", "catalog_cart", "catalog_downloads", "catalog_reviews",
    ),
    "SELECT, INSERT, DELETE": ("catalog_tags",),
    "SELECT, INSERT, UPDATE": ("catalog_profiles", "seller_applications"),
    "SELECT, INSERT": ("catalog_contents", "catalog_views", "catalog_orders", "catalog_purchases"),
}  # fmt: skip


def _row_level_security() -> None:
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for statement in POLICIES:
        op.execute(statement)
    for table in ("catalog_reviews", "catalog_views", "catalog_downloads"):
        when = "INSERT OR UPDATE OF stars OR DELETE" if table == "catalog_reviews" else "INSERT"
        op.execute(
            f"CREATE TRIGGER promptterm_catalog_counts AFTER {when} ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION promptterm_catalog_counts()"
        )
    for table, columns in KEPT:
        op.execute(
            f"CREATE TRIGGER promptterm_keep_columns BEFORE UPDATE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION promptterm_keep_columns({columns})"
        )
    grants = "\n".join(
        f"GRANT {rights} ON {', '.join(tables)} TO {GROUP_ROLE};"
        for rights, tables in GRANTS.items()
    )
    functions = ", ".join(FUNCTION_NAMES[1:])
    # As in 0003: a migrator without the rights gets a notice; a DBA can grant by hand.
    op.execute(
        f"""
        DO $$
        BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
            {grants}
            GRANT EXECUTE ON FUNCTION {functions} TO {GROUP_ROLE};
          END IF;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE NOTICE 'promptterm: could not grant the catalog tables to {GROUP_ROLE}: %', SQLERRM;
        END $$;
        """
    )
