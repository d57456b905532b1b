"""The generate / execute / debug loop behind the veil.

The public LLM writes candidate programs; CodeVeil runs, tests, ranks and debugs them locally in a
sandbox (``sandbox``), never in the gateway process. Every prompt goes through the veil, every
program is restored before it runs, and everything the sandbox prints goes back through the veil,
with the run's accumulated mapping, before it reaches the next prompt (``llm.RunVeil``).
"""
