// Hyperparameters as arithmetic of the grid keys (issue 21 item 5): a model key written as
// `lr: "=0.5 * 128 / d"` is evaluated per condition. A tiny recursive-descent parser rather than a
// library: the grammar is 6 rules, positions must be exact for the error messages, and the one
// well-known JavaScript library (expr-eval) is unmaintained and had a code-execution advisory in
// its member/function access — exactly what this grammar leaves out. Nothing is ever executed:
// the parser builds a tree of numbers, names, five operators and five functions.
//
//   sum     := product (("+" | "-") product)*
//   product := unary (("*" | "/") unary)*
//   unary   := ("-" | "+") unary | power
//   power   := atom ("^" unary)?                 right-associative: 2^3^2 = 2^9, -2^2 = -4
//   atom    := number | name | name "(" sum ("," sum)* ")" | "(" sum ")"
//
// × ÷ − are accepted for * / -. Functions: log (natural), sqrt, round (half up), min, max.

/** The text that marks a value as an expression: a string starting with it. */
export const EXPRESSION_PREFIX = "=";

export type Expression =
  | { kind: "number"; value: number }
  | { kind: "name"; name: string; at: number }
  | { kind: "unary"; op: "-"; arg: Expression }
  | { kind: "binary"; op: "+" | "-" | "*" | "/" | "^"; left: Expression; right: Expression }
  | { kind: "call"; fn: FunctionName; args: Expression[] };

const FUNCTIONS = {
  log: { arity: [1, 1], apply: (x: number[]) => Math.log(x[0]) },
  sqrt: { arity: [1, 1], apply: (x: number[]) => Math.sqrt(x[0]) },
  round: { arity: [1, 1], apply: (x: number[]) => Math.round(x[0]) },
  min: { arity: [2, Infinity], apply: (x: number[]) => Math.min(...x) },
  max: { arity: [2, Infinity], apply: (x: number[]) => Math.max(...x) },
} as const;
type FunctionName = keyof typeof FUNCTIONS;
export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** A syntax error at `position` (1-based column in the value as written, its "=" included). */
export class ExpressionError extends Error {
  constructor(
    readonly problem: string,
    readonly position: number,
  ) {
    super(`${problem} at position ${position}`);
  }
}

export function isExpressionText(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(EXPRESSION_PREFIX);
}

interface Token {
  type: "number" | "name" | "op" | "end";
  text: string;
  /** 0-based index in the source. */
  at: number;
}

const OPERATORS: Record<string, string> = { "+": "+", "-": "-", "−": "-", "*": "*", "×": "*", "/": "/", "÷": "/", "^": "^", "(": "(", ")": ")", ",": "," };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(source.slice(i));
    if (number !== null) {
      tokens.push({ type: "number", text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name !== null) {
      tokens.push({ type: "name", text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    if (OPERATORS[c] === undefined) throw new ExpressionError(`unexpected character '${c}'`, i + 1);
    tokens.push({ type: "op", text: OPERATORS[c], at: i });
    i++;
  }
  tokens.push({ type: "end", text: "", at: source.length });
  return tokens;
}

/**
 * Parses an expression, with or without its leading "="; throws ExpressionError whose position is
 * the 1-based column in `text` as given.
 */
export function parseExpression(text: string): Expression {
  // the "=" becomes a blank, so that positions count it
  const source = text.startsWith(EXPRESSION_PREFIX) ? " ".repeat(EXPRESSION_PREFIX.length) + text.slice(EXPRESSION_PREFIX.length) : text;
  const tokens = tokenize(source);
  let k = 0;
  const peek = (): Token => tokens[k];
  const describe = (t: Token): string => (t.type === "end" ? "the end" : `'${t.text}'`);
  const expect = (op: string): void => {
    const t = peek();
    if (t.type !== "op" || t.text !== op) throw new ExpressionError(`expected '${op}', found ${describe(t)}`, t.at + 1);
    k++;
  };
  const isOp = (...ops: string[]): boolean => peek().type === "op" && ops.includes(peek().text);

  function sum(): Expression {
    let left = product();
    while (isOp("+", "-")) {
      const op = tokens[k++].text as "+" | "-";
      left = { kind: "binary", op, left, right: product() };
    }
    return left;
  }
  function product(): Expression {
    let left = unary();
    while (isOp("*", "/")) {
      const op = tokens[k++].text as "*" | "/";
      left = { kind: "binary", op, left, right: unary() };
    }
    return left;
  }
  function unary(): Expression {
    if (isOp("-")) {
      k++;
      return { kind: "unary", op: "-", arg: unary() };
    }
    if (isOp("+")) {
      k++;
      return unary();
    }
    return power();
  }
  function power(): Expression {
    const base = atom();
    if (!isOp("^")) return base;
    k++;
    return { kind: "binary", op: "^", left: base, right: unary() };
  }
  function atom(): Expression {
    const t = peek();
    if (t.type === "number") {
      k++;
      return { kind: "number", value: Number(t.text) };
    }
    if (t.type === "name") {
      k++;
      if (!isOp("(")) return { kind: "name", name: t.text, at: t.at + 1 };
      if (!Object.hasOwn(FUNCTIONS, t.text)) {
        throw new ExpressionError(`unknown function '${t.text}'`, t.at + 1);
      }
      const fn = t.text as FunctionName;
      k++;
      const args = [sum()];
      while (isOp(",")) {
        k++;
        args.push(sum());
      }
      expect(")");
      const [least, most] = FUNCTIONS[fn].arity;
      if (args.length < least || args.length > most) {
        const wanted = least === most ? `${least} argument` : `at least ${least} arguments`;
        throw new ExpressionError(`${fn} takes ${wanted}, got ${args.length}`, t.at + 1);
      }
      return { kind: "call", fn, args };
    }
    if (isOp("(")) {
      k++;
      const inner = sum();
      expect(")");
      return inner;
    }
    throw new ExpressionError(`expected a number, a grid key, a function or '(', found ${describe(t)}`, t.at + 1);
  }

  const tree = sum();
  if (peek().type !== "end") throw new ExpressionError(`unexpected ${describe(peek())}`, peek().at + 1);
  return tree;
}

/** The names an expression reads, each with the position of its first use. */
export function namesOf(expression: Expression): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (e: Expression): void => {
    if (e.kind === "name") {
      if (!out.has(e.name)) out.set(e.name, e.at);
    } else if (e.kind === "unary") walk(e.arg);
    else if (e.kind === "binary") {
      walk(e.left);
      walk(e.right);
    } else if (e.kind === "call") e.args.forEach(walk);
  };
  walk(expression);
  return out;
}

/** The value with `values` for its names (each name must be there: see namesOf). */
export function evaluateExpression(expression: Expression, values: Readonly<Record<string, number>>): number {
  switch (expression.kind) {
    case "number":
      return expression.value;
    case "name":
      return values[expression.name];
    case "unary":
      return -evaluateExpression(expression.arg, values);
    case "call":
      return FUNCTIONS[expression.fn].apply(expression.args.map((a) => evaluateExpression(a, values)));
    case "binary": {
      const a = evaluateExpression(expression.left, values);
      const b = evaluateExpression(expression.right, values);
      switch (expression.op) {
        case "+": return a + b;
        case "-": return a - b;
        case "*": return a * b;
        case "/": return a / b;
        case "^": return a ** b;
      }
    }
  }
}
