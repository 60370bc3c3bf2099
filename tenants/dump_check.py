"""What SQL from an archive may run: only what ``pg_dump`` writes for our own schemas.

An archive's SQL is replayed by the application's database role, which may be a
superuser (the embedded server's is). A signature says who made an archive, not that
its SQL is harmless: a stolen key, or a bug, must not give a way to write into another
schema, create a role, read or write the server's files or run a program. So every
statement is parsed by PostgreSQL's own parser (``pglast``, libpg_query) and checked
against the short list of statements a dump of tables is made of:

- ``SET`` of the handful of session settings ``pg_dump`` writes (never ``role`` or
  ``session_authorization``), and ``SELECT pg_catalog.set_config('search_path', '', false)``;
- ``CREATE SCHEMA`` (of the allowed schema for an import; any new name for a restore);
- ``CREATE TABLE``, ``CREATE SEQUENCE``, ``ALTER SEQUENCE … OWNED BY``, ``CREATE INDEX``,
  ``ALTER TABLE`` adding constraints, identities or defaults;
- ``INSERT … VALUES`` of constants, ``COPY … FROM stdin`` (restore only) and
  ``SELECT pg_catalog.setval(…)``.

Every table, sequence and index named must be qualified by an allowed schema; no
function may be called but a few harmless ones (a ``CHECK`` or a ``DEFAULT`` calling a
function would run as the application later); no subquery, no operator or type from
another schema. Functions, triggers, rules, views, roles and grants are refused: the
statements the checker returns are the exact text it checked, and only they are run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pglast import ast, parse_sql
from pglast.enums import AlterTableType, VariableSetKind
from pglast.parser import ParseError, parse_sql_json

# Session settings pg_dump writes at the top of a dump.
DUMP_SETTINGS = {
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
    "transaction_timeout",
    "client_encoding",
    "standard_conforming_strings",
    "check_function_bodies",
    "xmloption",
    "client_min_messages",
    "row_security",
    "default_tablespace",
    "default_table_access_method",
    "default_with_oids",
}
# Functions a column default or an index may call: none of them reads, writes or runs
# anything outside the row.
HARMLESS_FUNCTIONS = {"nextval", "upper", "lower", "now", "length", "char_length", "btrim"}
TABLE_CHANGES = {
    AlterTableType.AT_AddConstraint,
    AlterTableType.AT_AddIdentity,
    AlterTableType.AT_ColumnDefault,
    AlterTableType.AT_SetNotNull,
    AlterTableType.AT_ValidateConstraint,
}
INDEX_METHODS = {"btree", "gin", "gist", "hash", "brin", "spgist"}
SYSTEM_SCHEMAS = {"pg_catalog"}


class UnsafeDump(Exception):
    """A statement of an archive that is not what pg_dump writes; the message is in French."""


def _statement_texts(sql: str) -> list[str]:
    """The text of each statement of ``sql``, as PostgreSQL's parser splits it.

    One parse to JSON gives each statement's place in bytes; each statement is then parsed
    on its own. ``parse_sql`` on the whole text would map every node's byte offset to a
    character index by a linear scan of the text's multibyte characters: quadratic on a
    French dump (hours for one portal).
    """
    try:
        found = json.loads(parse_sql_json(sql)).get("stmts", [])
    except ParseError as error:
        raise UnsafeDump(f"L'archive contient du SQL illisible ({error}).") from error
    encoded = sql.encode()
    texts = []
    for entry in found:
        start = entry.get("stmt_location", 0)
        length = entry.get("stmt_len", 0)
        texts.append((encoded[start : start + length] if length else encoded[start:]).decode())
    return texts


def _walk(value: object) -> Iterator[ast.Node]:
    """Every node of a parse tree, depth first."""
    if isinstance(value, ast.Node):
        yield value
        for name in value:
            yield from _walk(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _walk(item)


def _names(names: Iterable[ast.String] | None) -> list[str]:
    return [name.sval for name in names or () if isinstance(name, ast.String)]


def _constant(node: ast.Node) -> object:
    """The Python value of a constant, or raise if ``node`` is not one."""
    if not isinstance(node, ast.A_Const):
        raise UnsafeDump("une valeur qui n'est pas une constante")
    if node.isnull:
        return None
    value = node.val
    for attribute in ("sval", "ival", "boolval", "fval"):
        if hasattr(value, attribute):
            return getattr(value, attribute)
    raise UnsafeDump("une constante inconnue")


@dataclass
class DumpChecker:
    """Checks statements against ``schemas``, the only schemas they may touch.

    For a restore (``restore=True``) a dump may load tables with ``COPY … FROM stdin``
    and, unless ``creates_schemas`` is False, create new schemas (then allowed); a
    restore of one schema at a time passes False, so that its transaction touches that
    schema alone. ``skip_create_schema``: leave out the ``CREATE SCHEMA`` statements, for
    a caller that creates the schema itself.
    """

    schemas: set[str]
    restore: bool = False
    skip_create_schema: bool = False
    creates_schemas: bool = True
    created: set[str] = field(default_factory=set)

    def statements(self, sql: str) -> list[str]:
        """The statements of ``sql`` to run, each checked; raise UnsafeDump on the first
        that is not allowed."""
        runnable = []
        for text in _statement_texts(sql):
            try:
                parsed = parse_sql(text)
            except ParseError as error:
                raise UnsafeDump(f"L'archive contient du SQL illisible ({error}).") from error
            if len(parsed) != 1:
                raise UnsafeDump("L'archive contient du SQL illisible (découpage).")
            try:
                keep = self._check(parsed[0].stmt)
            except UnsafeDump as error:
                excerpt = " ".join(text.split())[:120]
                raise UnsafeDump(
                    f"L'archive contient une instruction SQL interdite ({error}) : « {excerpt} »."
                ) from None
            if keep:
                runnable.append(text)
        return runnable

    # --- One statement -------------------------------------------------------------------

    def _check(self, statement: ast.Node) -> bool:
        """Raise UnsafeDump unless ``statement`` is allowed; False if it is to be skipped."""
        kind = type(statement).__name__
        check = getattr(self, f"_check_{kind}", None)
        if check is None:
            raise UnsafeDump(f"{kind} n'est pas permis")
        return check(statement) is not False

    def _check_VariableSetStmt(self, node: ast.VariableSetStmt) -> None:
        if node.kind != VariableSetKind.VAR_SET_VALUE or node.name not in DUMP_SETTINGS:
            raise UnsafeDump(f"réglage « {node.name} »")
        values = [_constant(arg) for arg in node.args or ()]
        if node.name == "client_encoding" and values != ["UTF8"]:
            raise UnsafeDump("encodage autre que UTF8")
        # The checker reads strings as PostgreSQL does with this setting on (libpg_query's
        # only mode); off, the server would read '\' as an escaped quote and a later batch
        # of the replay differently from what was checked.
        if node.name == "standard_conforming_strings" and [
            str(value).lower() for value in values
        ] not in (["on"], ["true"]):
            raise UnsafeDump("standard_conforming_strings autre que on")

    def _check_SelectStmt(self, node: ast.SelectStmt) -> None:
        # Only the two calls pg_dump writes: set_config of an empty search_path, and
        # setval of one of the dump's own sequences.
        targets = node.targetList or ()
        others = [
            name
            for name in node
            if name not in ("targetList", "op", "all", "limitOption", "groupDistinct")
            and getattr(node, name)
        ]
        if len(targets) != 1 or others or not isinstance(targets[0].val, ast.FuncCall):
            raise UnsafeDump("SELECT")
        call = targets[0].val
        name = _names(call.funcname)
        args = [_constant(arg) for arg in call.args or ()]
        if name == ["pg_catalog", "set_config"] and args == ["search_path", "", False]:
            return
        if name == ["pg_catalog", "setval"] and len(args) in (2, 3):
            self._require_qualified_name(str(args[0]))
            return
        raise UnsafeDump(f"fonction « {'.'.join(name)} »")

    def _check_CreateSchemaStmt(self, node: ast.CreateSchemaStmt) -> bool:
        if node.authrole is not None or node.schemaElts or node.if_not_exists:
            raise UnsafeDump("CREATE SCHEMA avec options")
        name = node.schemaname
        if (
            self.restore
            and self.creates_schemas
            and name not in self.schemas
            and name not in self.created
        ):
            if name.startswith("pg_") or name == "information_schema":
                raise UnsafeDump(f"schéma « {name} »")
            self.created.add(name)
            return not self.skip_create_schema
        if name not in self.schemas:
            raise UnsafeDump(f"schéma « {name} »")
        return not self.skip_create_schema

    def _check_CreateStmt(self, node: ast.CreateStmt) -> None:
        if node.ofTypename or node.tablespacename or node.options or node.partbound:
            raise UnsafeDump("CREATE TABLE avec options")
        if node.accessMethod not in (None, "heap"):
            raise UnsafeDump("méthode de stockage")
        self._check_tree(node)

    def _check_CreateSeqStmt(self, node: ast.CreateSeqStmt) -> None:
        self._check_sequence_options(node.options)
        self._check_tree(node)

    def _check_AlterSeqStmt(self, node: ast.AlterSeqStmt) -> None:
        self._check_sequence_options(node.options)
        self._check_tree(node)

    def _check_AlterTableStmt(self, node: ast.AlterTableStmt) -> None:
        for command in node.cmds or ():
            if command.subtype not in TABLE_CHANGES:
                raise UnsafeDump(f"ALTER TABLE {command.subtype.name}")
            if command.subtype == AlterTableType.AT_AddIdentity:
                self._check_sequence_options(command.def_.options)
        self._check_tree(node)

    def _check_IndexStmt(self, node: ast.IndexStmt) -> None:
        if node.accessMethod not in INDEX_METHODS or node.tableSpace or node.options:
            raise UnsafeDump("CREATE INDEX avec options")
        self._check_tree(node)

    def _check_InsertStmt(self, node: ast.InsertStmt) -> None:
        values = node.selectStmt
        if (
            node.onConflictClause
            or getattr(node, "returningClause", None)  # pglast 8 (PostgreSQL 18)
            or getattr(node, "returningList", None)
            or node.withClause
            or not isinstance(values, ast.SelectStmt)
            or not values.valuesLists
            or values.targetList
            or values.fromClause
        ):
            raise UnsafeDump("INSERT autre que VALUES")
        self._check_tree(node.relation)
        # Most of a dump is rows of constants: look at those directly, walk the rest.
        for row in values.valuesLists:
            for value in row:
                if isinstance(value, ast.TypeCast) and isinstance(value.arg, ast.A_Const):
                    self._check_tree(value.typeName)
                elif not isinstance(value, ast.A_Const):
                    self._check_tree(value)

    def _check_CopyStmt(self, node: ast.CopyStmt) -> None:
        if not self.restore or not node.is_from or node.is_program or node.filename:
            raise UnsafeDump("COPY autre que FROM stdin")
        if node.query is not None or node.whereClause is not None:
            raise UnsafeDump("COPY avec requête")
        self._check_tree(node)

    # --- Inside a statement ----------------------------------------------------------------

    def _allowed(self, schema: str | None) -> bool:
        return schema is not None and (schema in self.schemas or schema in self.created)

    def _require_qualified_name(self, name: str) -> None:
        schema, dot, _rest = name.partition(".")
        if not dot or not self._allowed(schema.strip('"')):
            raise UnsafeDump(f"objet « {name} » hors du schéma")

    def _check_sequence_options(self, options: Iterable[ast.DefElem] | None) -> None:
        for option in options or ():
            if option.defname == "owned_by":
                owner = _names(option.arg)
                if owner != ["NONE"] and (len(owner) < 3 or not self._allowed(owner[0])):
                    raise UnsafeDump("séquence rattachée hors du schéma")

    def _check_tree(self, statement: ast.Node) -> None:
        for node in _walk(statement):
            if isinstance(node, ast.RangeVar):
                if node.catalogname or not self._allowed(node.schemaname):
                    raise UnsafeDump(f"table « {node.schemaname}.{node.relname} » hors du schéma")
            elif isinstance(node, ast.FuncCall):
                name = _names(node.funcname)
                if name[-1] not in HARMLESS_FUNCTIONS or name[:-1] not in ([], ["pg_catalog"]):
                    raise UnsafeDump(f"fonction « {'.'.join(name)} »")
                if name[-1] == "nextval":
                    argument = node.args[0] if node.args else None
                    if isinstance(argument, ast.TypeCast):
                        argument = argument.arg
                    self._require_qualified_name(str(_constant(argument)))
            elif isinstance(node, ast.A_Expr | ast.TypeName | ast.CollateClause):
                qualified = _names(
                    node.names
                    if isinstance(node, ast.TypeName)
                    else node.name
                    if isinstance(node, ast.A_Expr)
                    else node.collname
                )
                schema = qualified[0] if len(qualified) > 1 else None
                if (
                    schema is not None
                    and schema not in SYSTEM_SCHEMAS
                    and not self._allowed(schema)
                ):
                    raise UnsafeDump(f"opérateur ou type « {'.'.join(qualified)} »")
            elif isinstance(node, ast.SubLink | ast.RangeFunction | ast.RangeSubselect):
                raise UnsafeDump("sous-requête ou appel de fonction")
