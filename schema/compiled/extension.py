"""The compiled read path in the schema: the last extension, answering before execution."""

import logging
from collections.abc import AsyncIterator

from graphql import ExecutionResult
from strawberry.extensions import SchemaExtension

from schema.compiled.answer import answer
from schema.compiled.plan import plan
from services.errors import AuthError, DomainError

log = logging.getLogger("lohub.graphql")


class CompiledReads(SchemaExtension):
    """Sets the result of a query the compiled path answers (``schema.compiled``); leaves every
    other operation, and any the earlier extensions refused, to execution."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.result is None and context.graphql_document is not None:
            try:
                compiled = plan(
                    context.schema._schema,
                    context.graphql_document,
                    context.operation_name,
                    context.variables,
                )
                data = None if compiled is None else await answer(compiled, context.context)
            except (AuthError, DomainError):
                pass  # the resolvers give the error
            except Exception:
                log.warning("compiled read failed; the resolvers answer", exc_info=True)
            else:
                if data is not None:
                    context.result = ExecutionResult(data=data)
        yield
