"""Families: public names that must reach the model unchanged.

Third-party and standard APIs beside local names that share their letters (``nn.Conv2d`` beside
``conv1``, ``appsv1.Deployment`` beside ``newDepl``), package paths, decorators, DOM types,
preprocessor directives, and the tool and product names a coding client declares. Each record
also plants one private name (an invented word) and the company, so a gateway that forwards
everything unchanged does not pass.
"""

from __future__ import annotations

from typing import Any

from proxy.evaluation.adversarial import values as v
from proxy.evaluation.adversarial.draft import Draft, calls, fence, system, tool, tool_call, user

Out = tuple[str, str, list[dict[str, Any]]]

_LAYERS = [  # (local name, constructor, public name)
    ("conv1", "nn.Conv2d(3, 32, 3, padding=1)", "nn.Conv2d"),
    ("conv2", "nn.Conv1d(16, 32, 5)", "nn.Conv1d"),
    ("bn1", "nn.BatchNorm2d(32)", "nn.BatchNorm2d"),
    ("norm", "nn.LayerNorm(128)", "nn.LayerNorm"),
    ("emb", "nn.Embedding(30000, 128)", "nn.Embedding"),
    ("lstm", "nn.LSTM(128, 256, batch_first=True)", "nn.LSTM"),
    ("attn", "nn.MultiheadAttention(128, 8)", "nn.MultiheadAttention"),
    ("pool", "nn.AdaptiveAvgPool2d((1, 1))", "nn.AdaptiveAvgPool2d"),
    ("drop", "nn.Dropout(0.25)", "nn.Dropout"),
    ("fc1", "nn.Linear(256, 128)", "nn.Linear"),
    ("act", "nn.GELU()", "nn.GELU"),
]
_OPTIMS = ["torch.optim.AdamW", "torch.optim.SGD", "torch.optim.Adam", "torch.optim.RMSprop"]
_LOSSES = ["F.cross_entropy", "F.nll_loss", "F.mse_loss", "F.binary_cross_entropy_with_logits"]


def _owner(d: Draft) -> tuple[str, str]:
    co = d.company()
    return co, d.word()


# -- tuning: PyTorch, client-go, Python web decorators, a coding agent's tools --------------------

def public_py_go(d: Draft, i: int) -> Out:
    co, w = _owner(d)
    style = i % 4
    if style == 0:
        layers = d.rng.sample(_LAYERS, 5)
        cls = d.ident(f"{w.capitalize()}Net", "CLASS_NAME")
        opt, loss = d.pick(_OPTIMS), d.pick(_LOSSES)
        d.pub(*(p for _, _, p in layers), opt, loss, "F.relu", "nn.Module", "super().__init__()")
        init = "".join(f"        self.{n} = {c}\n" for n, c, _ in layers)
        code = (f"# {co} vision team\nimport torch\nimport torch.nn as nn\n"
                f"import torch.nn.functional as F\n\n\n"
                f"class {cls}(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                f"{init}\n"
                f"    def forward(self, x):\n        x = F.relu(self.{layers[0][0]}(x))\n"
                f"        return self.{layers[-1][0]}(x)\n\n\n"
                f"model = {cls}()\noptimizer = {opt}(model.parameters(), lr=1e-3)\n"
                f"loss = {loss}(model(batch), target)\n")
        return "python", "debug", [user(f"Shapes don't line up in forward, can you fix it?\n\n"
                                        f"{fence('python', code)}")]
    if style == 1:
        fn = d.ident(f"new{w.capitalize()}Depl", "FUNCTION_NAME")
        d.pub("appsv1.Deployment", "metav1.ObjectMeta", "corev1.PodSpec", "corev1.Container",
              '"k8s.io/client-go/kubernetes"', "klog.Fatal", "clientcmd.BuildConfigFromFlags",
              "kubernetes.NewForConfigOrDie", "metav1.CreateOptions", "AppsV1().Deployments")
        code = (f"// deploys the {co} web tier\npackage main\n\nimport (\n\t\"context\"\n\n"
                "\tappsv1 \"k8s.io/api/apps/v1\"\n\tcorev1 \"k8s.io/api/core/v1\"\n"
                "\tmetav1 \"k8s.io/apimachinery/pkg/apis/meta/v1\"\n"
                "\t\"k8s.io/client-go/kubernetes\"\n"
                "\t\"k8s.io/client-go/tools/clientcmd\"\n\t\"k8s.io/klog/v2\"\n)\n\n"
                f"func {fn}(name string, replicas int32) *appsv1.Deployment {{\n"
                "\treturn &appsv1.Deployment{\n\t\tObjectMeta: metav1.ObjectMeta{Name: name},\n"
                "\t\tSpec: appsv1.DeploymentSpec{\n\t\t\tReplicas: &replicas,\n"
                "\t\t\tTemplate: corev1.PodTemplateSpec{Spec: corev1.PodSpec{\n"
                "\t\t\t\tContainers: []corev1.Container{{Name: name, Image: \"nginx:1.27\"}},\n"
                "\t\t\t}},\n\t\t},\n\t}\n}\n\nfunc main() {\n"
                "\tconfig, err := clientcmd.BuildConfigFromFlags(\"\", "
                "clientcmd.RecommendedHomeFile)\n"
                "\tif err != nil {\n\t\tklog.Fatal(err)\n\t}\n"
                "\tclientset := kubernetes.NewForConfigOrDie(config)\n"
                f"\tnewDepl := {fn}(\"web\", 3)\n"
                "\tif _, err := clientset.AppsV1().Deployments(\"default\").Create(context.TODO(), "
                "newDepl, "
                "metav1.CreateOptions{}); err != nil {\n\t\tklog.Fatal(err)\n\t}\n}\n")
        return "go", "feature", [user(f"Add a selector so the create call stops failing:\n\n"
                                      f"{fence('go', code)}")]
    if style == 2:
        fn = d.ident(f"{w}_score", "FUNCTION_NAME")
        d.pub("@app.post", "BaseModel", "Field(min_length=1)", "np.linalg.norm",
              "@lru_cache(maxsize=128)",
              "@pytest.mark.parametrize", "HTTPException", "from fastapi import FastAPI")
        code = (f"# {co} scoring service\nfrom functools import lru_cache\n\nimport numpy as np\n"
                f"import pytest\n"
                "from fastapi import FastAPI, HTTPException\n"
                "from pydantic import BaseModel, Field\n\n"
                "app = FastAPI()\n\n\nclass ScoreRequest(BaseModel):\n"
                "    values: list[float] = Field(min_length=1)\n\n\n"
                f"@lru_cache(maxsize=128)\ndef weights(n: int) -> np.ndarray:\n"
                f"    return np.ones(n) / n\n\n\n"
                f"@app.post(\"/score\")\nasync def {fn}(req: ScoreRequest):\n"
                f"    arr = np.asarray(req.values)\n"
                "    if not np.isfinite(arr).all():\n        raise HTTPException(status_code=422)\n"
                "    return {\"norm\": float(np.linalg.norm(arr))}\n\n\n"
                "@pytest.mark.parametrize(\"n\", [1, 2, 8])\ndef test_weights(n):\n"
                "    assert weights(n).sum() == pytest.approx(1)\n")
        return "python", "unit_tests", [user(f"Add a test for the 422 path:\n\n"
                                             f"{fence('python', code)}")]
    tools = ["read_file", "apply_patch", "run_terminal_cmd", "codebase_search", "grep_search"]
    d.pub(*tools, "GPT-5", "Codex")
    cid1, cid2 = "call_" + v.rand(d.rng, 10), "call_" + v.rand(d.rng, 10)
    mod = d.ident(f"{w}_jobs", "MODULE_NAME")
    return "python", "agent", [
        system(f"You are Codex, a coding agent based on GPT-5, working in the {co} monorepo. Use "
               f"codebase_search before read_file, and apply_patch "
               f"to edit files. Prefer grep_search "
               f"for exact strings; run_terminal_cmd runs a shell command."),
        user(f"Find where {mod}.py retries failed jobs and make it stop after 5 attempts."),
        calls(tool_call(cid1, "grep_search", {"query": "retry", "path": f"src/{mod}.py"})),
        tool(cid1, f"src/{mod}.py:41:    for attempt in itertools.count():"),
        calls(tool_call(cid2, "read_file",
                        {"path": f"src/{mod}.py", "start_line": 35, "end_line": 60})),
        tool(cid2, "def run(job):\n    for attempt in itertools.count():\n"
                   "        if job.try_once():\n            return\n"),
    ]


# -- held back: DOM, preprocessor, C#, Rust, Java, a coding client's declared tools ----------------

def public_web_native(d: Draft, i: int) -> Out:
    co, w = _owner(d)
    style = i % 6
    if style == 0:
        fn = d.ident(f"use{w.capitalize()}List", "FUNCTION_NAME")
        d.pub("HTMLUListElement", "HTMLInputElement", "IntersectionObserver", "MutationObserver",
              "useEffect", "useRef", "addEventListener", "querySelector", "DocumentFragment")
        code = (f"// {co} web app\nimport {{ useEffect, useRef, useState }} from 'react';\n\n"
                f"export function {fn}() {{\n  const listRef = useRef<HTMLUListElement>(null);\n"
                "  const [items, setItems] = useState<string[]>([]);\n  useEffect(() => {\n"
                "    const list = listRef.current!;\n"
                "    const input = document.querySelector('#new') as HTMLInputElement;\n"
                "    const io = new IntersectionObserver((entries) "
                "=> entries.forEach((e) => e.isIntersecting && input.focus()));\n"
                "    const mo = new MutationObserver(() => setItems([...list.children].map((li) "
                "=> li.textContent ?? '')));\n"
                "    io.observe(list);\n    mo.observe(list, { childList: true });\n"
                "    const frag = new DocumentFragment();\n"
                "    list.addEventListener('click', (ev: MouseEvent) => "
                "(ev.target as HTMLElement).remove());\n    list.append(frag);\n"
                "    return () => { io.disconnect(); mo.disconnect(); };\n  }, []);\n"
                "  return { listRef, items };\n}\n")
        return "typescript", "refactor", [user(f"Split this hook in two:\n\n{fence('tsx', code)}")]
    if style == 1:
        typ = d.ident(f"{w}_ring_t", "TYPE_NAME")
        d.pub("#ifndef", "#endif", "#include <stdint.h>", "#pragma once", "uint8_t", "memcpy",
              "#ifdef __cplusplus", 'extern "C"', "size_t")
        code = (f"/* {co} firmware */\n#pragma once\n#ifndef RING_BUFFER_H\n#define RING_BUFFER_H\n"
                f"\n"
                "#include <stdint.h>\n#include <string.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n"
                "#endif\n\n"
                f"typedef struct {{\n    uint8_t *buf;\n    size_t head, tail, cap;\n}} {typ};\n\n"
                f"static inline void ring_put({typ} *r, const uint8_t *src, size_t n) {{\n"
                "    memcpy(r->buf + (r->head & (r->cap - 1)), src, n);\n    r->head += n;\n}\n\n"
                "#if defined(_MSC_VER)\n#pragma warning(disable : 4996)\n#endif\n\n"
                "#ifdef __cplusplus\n}\n#endif\n#endif /* RING_BUFFER_H */\n")
        # bare, as pasted from an editor: no fence around it
        return "c", "code_review", [user(f"What happens when n wraps past cap?\n\n{code}")]
    if style == 2:
        cls = d.ident(f"{w.capitalize()}ReportsController", "CLASS_NAME")
        d.pub("IDistributedCache", "ILogger<", "[ApiController]", "[HttpGet(", "nameof(",
              "Task<IActionResult>", "GetStringAsync", "ControllerBase", "CancellationToken")
        code = (f"// {co} reporting API\nusing Microsoft.AspNetCore.Mvc;\n"
                f"using Microsoft.Extensions.Caching.Distributed;\n\n"
                f"[ApiController]\n[Route(\"api/[controller]\")]\n"
                f"public class {cls} : ControllerBase\n{{\n"
                f"    private readonly IDistributedCache _cache;\n"
                f"    private readonly ILogger<{cls}> _logger;\n\n"
                f"    public {cls}(IDistributedCache cache, ILogger<{cls}> logger)\n"
                "    {\n        _cache = cache;\n        _logger = logger;\n    }\n\n"
                "    [HttpGet(\"{id}\")]\n"
                "    public async Task<IActionResult> Get(int id, CancellationToken ct)\n    {\n"
                "        var cached = await _cache.GetStringAsync($\"report:{id}\", ct);\n"
                "        if (cached is null)\n        {\n"
                "            _logger.LogWarning(\"{Action}: cache miss\", nameof(Get));\n"
                "            return NotFound();\n        }\n"
                "        return Ok(cached);\n    }\n}\n")
        return "csharp", "code_review", [user(f"Review please:\n\n{fence('csharp', code)}")]
    if style == 3:
        fn = d.ident(f"load_{w}_settings", "FUNCTION_NAME")
        d.pub("map_err", "with_context", "#[derive(Debug, Deserialize)]", "#[tokio::main]",
              "tokio::spawn", "fs::read_to_string", "anyhow::Result", "toml::from_str")
        code = (f"// {co} edge proxy\nuse anyhow::{{Context, Result}};\nuse serde::Deserialize;\n"
                f"use std::fs;\n\n"
                "#[derive(Debug, Deserialize)]\nstruct Settings {\n    listen: String,\n"
                "    workers: usize,\n}\n\n"
                f"fn {fn}(path: &str) -> anyhow::Result<Settings> {{\n"
                "    let raw = fs::read_to_string(path).with_context(|| "
                "format!(\"reading {path}\"))?;\n"
                "    toml::from_str(&raw).map_err(|e| anyhow::anyhow!(\"bad config: {e}\"))\n}\n\n"
                f"#[tokio::main]\nasync fn main() -> Result<()> {{\n"
                f"    let s = {fn}(\"proxy.toml\")?;\n"
                "    let handle = tokio::spawn(async move { s.workers });\n"
                "    println!(\"{}\", handle.await?);\n    Ok(())\n}\n")
        return "rust", "explain", [user(f"Why both with_context and map_err here?\n\n"
                                        f"{fence('rust', code)}")]
    if style == 4:
        cls = d.ident(f"{w.capitalize()}OrderService", "CLASS_NAME")
        d.pub("@RestController", "@Autowired", "ResponseEntity", "Optional.ofNullable",
              "@Transactional",
              "JpaRepository", "@GetMapping", "@PathVariable")
        code = (f"// {co} orders\n@RestController\npublic class {cls} {{\n    @Autowired\n"
                "    private OrderRepository orders;\n\n    @GetMapping(\"/orders/{id}\")\n"
                "    @Transactional(readOnly = true)\n"
                "    public ResponseEntity<Order> get(@PathVariable Long id) {\n"
                "        return Optional.ofNullable(orders.findById(id).orElse(null))\n"
                "            .map(ResponseEntity::ok)\n"
                "            .orElse(ResponseEntity.notFound().build());\n    }\n}\n\n"
                "interface OrderRepository extends JpaRepository<Order, Long> {}\n")
        return "java", "refactor", [user(f"Replace field injection with a constructor:\n\n"
                                         f"{fence('java', code)}")]
    tools = ["EnterWorktree", "ExitWorktree", "TodoWrite", "NotebookEdit", "WebFetch",
             "mcp__github__create_issue"]
    d.pub(*tools, "Claude Opus 4.1", "Claude Code", "cc_entrypoint")
    mod = d.ident(f"{w}_billing", "MODULE_NAME")
    c1, c2 = "toolu_" + v.rand(d.rng, 12), "toolu_" + v.rand(d.rng, 12)
    return "python", "agent", [
        system("You are Claude Code, Anthropic's official CLI for "
               "Claude. You are powered by the model "
               "Claude Opus 4.1. Tools: EnterWorktree, ExitWorktree, "
               "TodoWrite, NotebookEdit, WebFetch, "
               "mcp__github__create_issue. Environment: cc_entrypoint=cli"),
        user(f"Work in a separate worktree and fix the rounding bug "
             f"in {mod}/rates.py; file an issue "
             f"for {co}'s tracker when done."),
        calls(tool_call(c1, "EnterWorktree", {"name": "fix-rounding"}),
              tool_call(c2, "TodoWrite", {"todos": [{"content": f"fix rounding in {mod}",
                                                      "status": "pending"}]})),
        tool(c1, "Entered worktree fix-rounding"),
        tool(c2, "Todos updated"),
    ]
