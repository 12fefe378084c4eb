using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.EntityFrameworkCore.Storage;

namespace Waypoint.Data;

/// <summary>
/// EF's last step before it compiles a query's executor, with one addition: every lambda nested in
/// the executor that uses nothing of the code around it is compiled once, here, and put in the tree
/// as a ready delegate.
/// <para>
/// Since EF 9 (precompiled queries) the executor is one expression tree with its shaper, its
/// command resolver and, for a projection with a collection, the collection's inner shaper written
/// in it as nested lambdas (RelationalShapedQueryCompilingExpressionVisitor.VisitShapedQuery,
/// ShaperProcessingExpressionVisitor; dotnet/efcore#35210). .NET compiles a nested lambda to a
/// method of its own and makes a new delegate of it (<c>DynamicMethod.CreateDelegate</c>) each time
/// the code around it runs: two for every execution of every query, and one per row for a
/// collection's inner shaper. On the person page that was 5% of the app's CPU (issue 18,
/// session 22's profile). EF 8 compiled these lambdas on their own and embedded the delegates, as
/// this does.
/// </para>
/// <para>
/// A lambda that reads a variable or parameter of the code around it (EF's per-row closures over
/// the shaper's locals) is left as it is: its delegate must be made per evaluation. One that does
/// not behaves the same whether made once or each time; only its identity differs, which EF does
/// not use. What the query does, its SQL and its filters are untouched.
/// </para>
/// </summary>
[Experimental("EF9100")]
internal sealed class SharedShaperDelegates(
    ShapedQueryCompilingExpressionVisitorDependencies dependencies,
    RelationalShapedQueryCompilingExpressionVisitorDependencies relationalDependencies,
    RelationalCommandBuilderDependencies commandBuilderDependencies)
    : RelationalLiftableConstantProcessor(dependencies, relationalDependencies, commandBuilderDependencies)
{
    public override Expression InlineConstants(Expression expression, bool supportsPrecompiledQuery)
    {
        var inlined = base.InlineConstants(expression, supportsPrecompiledQuery);
        // The executor itself stays a lambda: EF compiles it.
        return inlined is LambdaExpression executor
            ? Expression.Lambda(executor.Type, new NestedLambdas().Visit(executor.Body), executor.Name, executor.TailCall, executor.Parameters)
            : inlined;
    }

    /// <summary>Replaces each nested lambda without free variables by its compiled delegate, innermost first.</summary>
    internal sealed class NestedLambdas : ExpressionVisitor
    {
        public int Shared { get; private set; }

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            var visited = (LambdaExpression)base.VisitLambda(node);
            if (FreeVariables.Any(visited))
                return visited;
            Shared++;
            return Expression.Constant(visited.Compile(), visited.Type);
        }

        // A quoted lambda is an expression tree as a value, not a delegate: leave it alone.
        protected override Expression VisitUnary(UnaryExpression node) =>
            node.NodeType == ExpressionType.Quote ? node : base.VisitUnary(node);
    }

    /// <summary>Whether a lambda reads a parameter or variable it does not declare itself.</summary>
    private sealed class FreeVariables : ExpressionVisitor
    {
        private readonly HashSet<ParameterExpression> declared = [];
        private bool found;

        public static bool Any(LambdaExpression lambda)
        {
            var visitor = new FreeVariables();
            visitor.Visit(lambda);
            return visitor.found;
        }

        public override Expression? Visit(Expression? node) => found ? node : base.Visit(node);

        protected override Expression VisitLambda<T>(Expression<T> node)
        {
            declared.UnionWith(node.Parameters);
            return base.VisitLambda(node);
        }

        protected override Expression VisitBlock(BlockExpression node)
        {
            declared.UnionWith(node.Variables);
            return base.VisitBlock(node);
        }

        protected override CatchBlock VisitCatchBlock(CatchBlock node)
        {
            if (node.Variable is not null)
                declared.Add(node.Variable);
            return base.VisitCatchBlock(node);
        }

        protected override Expression VisitParameter(ParameterExpression node)
        {
            if (!declared.Contains(node))
                found = true;
            return node;
        }

        protected override Expression VisitRuntimeVariables(RuntimeVariablesExpression node)
        {
            // Reads the enclosing scope's variables by design.
            found = true;
            return node;
        }
    }
}
