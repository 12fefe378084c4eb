using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Waypoint.Data;

/// <summary>
/// A query compiled with <c>EF.CompileAsyncQuery</c>, once for each EF model: a call then skips
/// building its expression tree, hashing it and looking it up in EF's query cache, which was most of
/// the app's own time on the person page (issue 18). EF refuses a compiled query on a context of
/// another model (SQLite's and PostgreSQL's contexts in one process, as the tests run them), hence one per model.
/// <para>
/// A compiled query evaluates what its body captures once, when it is first run, and keeps it: every
/// value that varies (the person, the reader, today) must be a parameter of the lambda, never a captured
/// variable or a property of the context. The query filters, which read the reader from the context,
/// are applied to each execution's own context, as in any query.
/// </para>
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> byModel = [];

    /// <summary>The query compiled for this context's model.</summary>
    public TQuery For(DbContext db) => byModel.GetValue(db.Model, _ => compile());
}

/// <summary>
/// Refuses a compiled query's lambda that would keep a value from its first run (see
/// <see cref="CompiledPerModel{TQuery}"/>): a captured variable, or anything of the context but its
/// sets (<c>db.Set&lt;T&gt;()</c>, a <c>DbSet</c> property, <c>db.Unfiltered&lt;T&gt;("reason")</c>). The reader,
/// today and the like must be parameters; a query that reads them from the context is refused when
/// first compiled (in the tests), not served with the first request's reader ever after.
/// </summary>
public static class CompiledQueryGuard
{
    public static System.Linq.Expressions.Expression<T> Checked<T>(System.Linq.Expressions.Expression<T> query)
    {
        new Guard().Visit(query.Body);
        return query;
    }

    private sealed class Guard : System.Linq.Expressions.ExpressionVisitor
    {
        private static bool IsContext(System.Linq.Expressions.Expression? e) =>
            e is System.Linq.Expressions.ParameterExpression p && typeof(DbContext).IsAssignableFrom(p.Type);

        private static bool IsSet(Type type) =>
            type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(DbSet<>) || type.GetGenericTypeDefinition() == typeof(IQueryable<>));

        protected override System.Linq.Expressions.Expression VisitMember(System.Linq.Expressions.MemberExpression node)
        {
            if (node.Expression is System.Linq.Expressions.ConstantExpression)
                throw new InvalidOperationException($"A compiled query captures {node.Member.Name}: it would keep its first value. Make it a parameter of the query.");
            if (IsContext(node.Expression) && !IsSet(node.Type))
                throw new InvalidOperationException($"A compiled query reads the context's {node.Member.Name}: it would keep its first value. Make it a parameter of the query.");
            return base.VisitMember(node);
        }

        protected override System.Linq.Expressions.Expression VisitMethodCall(System.Linq.Expressions.MethodCallExpression node)
        {
            if (IsContext(node.Object) && node.Method.Name != nameof(DbContext.Set))
                throw new InvalidOperationException($"A compiled query calls the context's {node.Method.Name}: it would keep its first result. Make it a parameter of the query.");
            if (node.Object is null && node.Arguments.Count > 0 && IsContext(node.Arguments[0]) && node.Method.Name is not (nameof(Access.PastTheFilters.Unfiltered) or nameof(Access.PastTheFilters.WithoutItsFilter)))
                throw new InvalidOperationException($"A compiled query calls {node.Method.Name} on the context: it would keep its first result. Make it a parameter of the query.");
            return base.VisitMethodCall(node);
        }
    }
}
