"""A small reduced ordered binary decision diagram (ROBDD) package.

Just what ``forcecheck verify`` needs: a unique table (so that equal functions are the same
node, and a formula is unsatisfiable exactly when it is node 0), a memoised ``ite`` from
which every connective is built, restriction, existential quantification, and a
minimum-cost satisfying path. Nodes are plain ints; variables are ints ordered by value
(a lower variable sits nearer the root).

No dependency: the formulas here are small (tens of variables, thousands of nodes), and a
hundred lines of well-known algorithm (Bryant 1986; Brace, Rudell and Bryant 1990) is
easier to trust and to ship than a binding to a C library.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: The two terminal nodes.
FALSE = 0
TRUE = 1


class BDD:
    """A manager owning every node; all operations go through it."""

    def __init__(self) -> None:
        # Terminals carry a variable index above every real one, so min() picks real ones.
        self._var: list[int] = [_TERMINAL, _TERMINAL]
        self._low: list[int] = [FALSE, TRUE]
        self._high: list[int] = [FALSE, TRUE]
        self._unique: dict[tuple[int, int, int], int] = {}
        self._ite: dict[tuple[int, int, int], int] = {}
        self._cofactor: dict[tuple[int, int, bool], int] = {}

    # ------------------------------------------------------------ building

    def var(self, index: int) -> int:
        """The function that is true exactly when variable ``index`` is."""
        if not 0 <= index < _TERMINAL:
            raise ValueError(f"variable index out of range: {index}")
        return self._node(index, FALSE, TRUE)

    def _node(self, var: int, low: int, high: int) -> int:
        if low == high:
            return low
        key = (var, low, high)
        found = self._unique.get(key)
        if found is None:
            found = len(self._var)
            self._var.append(var)
            self._low.append(low)
            self._high.append(high)
            self._unique[key] = found
        return found

    def _cofactors(self, node: int, var: int) -> tuple[int, int]:
        if self._var[node] == var:
            return self._low[node], self._high[node]
        return node, node

    def ite(self, f: int, g: int, h: int) -> int:
        """If ``f`` then ``g`` else ``h``."""
        if f == TRUE:
            return g
        if f == FALSE:
            return h
        if g == h:
            return g
        if g == TRUE and h == FALSE:
            return f
        key = (f, g, h)
        found = self._ite.get(key)
        if found is not None:
            return found
        top = min(self._var[f], self._var[g], self._var[h])
        f0, f1 = self._cofactors(f, top)
        g0, g1 = self._cofactors(g, top)
        h0, h1 = self._cofactors(h, top)
        result = self._node(top, self.ite(f0, g0, h0), self.ite(f1, g1, h1))
        self._ite[key] = result
        return result

    def neg(self, f: int) -> int:
        """Not ``f``."""
        return self.ite(f, FALSE, TRUE)

    def and_(self, f: int, g: int) -> int:
        """``f`` and ``g``."""
        return self.ite(f, g, FALSE)

    def or_(self, f: int, g: int) -> int:
        """``f`` or ``g``."""
        return self.ite(f, TRUE, g)

    def implies(self, f: int, g: int) -> int:
        """``f`` implies ``g``."""
        return self.ite(f, g, TRUE)

    def conj(self, fs: Iterable[int]) -> int:
        """The conjunction of ``fs`` (true when empty)."""
        result = TRUE
        for f in fs:
            result = self.and_(result, f)
            if result == FALSE:
                break
        return result

    def disj(self, fs: Iterable[int]) -> int:
        """The disjunction of ``fs`` (false when empty)."""
        result = FALSE
        for f in fs:
            result = self.or_(result, f)
            if result == TRUE:
                break
        return result

    # ------------------------------------------------------------ transforming

    def restrict(self, f: int, values: Mapping[int, bool]) -> int:
        """``f`` with the variables of ``values`` fixed to those values."""
        memo: dict[int, int] = {}

        def go(node: int) -> int:
            if node <= TRUE:
                return node
            if node in memo:
                return memo[node]
            var = self._var[node]
            if var in values:
                result = go(self._high[node] if values[var] else self._low[node])
            else:
                result = self._node(var, go(self._low[node]), go(self._high[node]))
            memo[node] = result
            return result

        return go(f)

    def cofactor(self, f: int, var: int, value: bool) -> int:
        """``f`` with the one variable ``var`` fixed to ``value`` (memoised across calls).

        Cheaper than :meth:`restrict` when called many times: the walk stops at the
        variable's level, below which it cannot occur.
        """
        if self._var[f] > var:
            return f
        key = (f, var, value)
        found = self._cofactor.get(key)
        if found is None:
            if self._var[f] == var:
                found = self._high[f] if value else self._low[f]
            else:
                found = self._node(
                    self._var[f],
                    self.cofactor(self._low[f], var, value),
                    self.cofactor(self._high[f], var, value),
                )
            self._cofactor[key] = found
        return found

    def exists(self, f: int, variables: Iterable[int]) -> int:
        """``f`` with ``variables`` existentially quantified away."""
        quantified = frozenset(variables)
        memo: dict[int, int] = {}

        def go(node: int) -> int:
            if node <= TRUE:
                return node
            if node in memo:
                return memo[node]
            var = self._var[node]
            low, high = go(self._low[node]), go(self._high[node])
            result = self.or_(low, high) if var in quantified else self._node(var, low, high)
            memo[node] = result
            return result

        return go(f)

    # ------------------------------------------------------------ reading

    def node(self, f: int) -> tuple[int, int, int]:
        """An internal node's (variable, low child, high child), for walking a diagram."""
        if f <= TRUE:
            raise ValueError("a terminal has no variable")
        return self._var[f], self._low[f], self._high[f]

    def evaluate(self, f: int, values: Mapping[int, bool]) -> bool:
        """The value of ``f`` under a total assignment (missing variables are false)."""
        node = f
        while node > TRUE:
            node = self._high[node] if values.get(self._var[node], False) else self._low[node]
        return node == TRUE

    def support(self, f: int) -> frozenset[int]:
        """The variables ``f`` depends on."""
        seen: set[int] = set()
        found: set[int] = set()
        stack = [f]
        while stack:
            node = stack.pop()
            if node <= TRUE or node in seen:
                continue
            seen.add(node)
            found.add(self._var[node])
            stack += (self._low[node], self._high[node])
        return frozenset(found)

    def size(self, f: int) -> int:
        """The number of internal nodes reachable from ``f``."""
        seen: set[int] = set()
        stack = [f]
        while stack:
            node = stack.pop()
            if node > TRUE and node not in seen:
                seen.add(node)
                stack += (self._low[node], self._high[node])
        return len(seen)

    def min_true_path(self, f: int) -> dict[int, bool] | None:
        """A satisfying assignment of ``f`` setting as few variables true as possible.

        Variables not in the result are false. Exact: every path to TRUE is a set of
        assignments in which skipped variables may be false for free, and a shortest path
        (cost 1 per high edge) is found by dynamic programming over the DAG. Ties go to the
        low edge, so the answer is deterministic. None when ``f`` is unsatisfiable.
        """
        if f == FALSE:
            return None
        cost: dict[int, int] = {TRUE: 0}
        infinite = 1 << 30

        def best(node: int) -> int:
            if node == FALSE:
                return infinite
            if node in cost:
                return cost[node]
            result = min(best(self._low[node]), best(self._high[node]) + 1)
            cost[node] = result
            return result

        best(f)
        path: dict[int, bool] = {}
        node = f
        while node != TRUE:
            if best(self._low[node]) <= best(self._high[node]) + 1:
                node = self._low[node]
            else:
                path[self._var[node]] = True
                node = self._high[node]
        return path


#: Larger than any variable index in use.
_TERMINAL = 1 << 20
