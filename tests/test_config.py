"""Solver recipes and command-line overrides: what loads, what parses, what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from arcvdm.config import SolverConfig, apply_overrides, load_recipe, recipe_names
from arcvdm.errors import ConfigError
from arcvdm.jobs import resolve_config

SOLVERS = Path(__file__).resolve().parent.parent / "solvers"
REPO_RECIPES = sorted(p.stem for p in SOLVERS.glob("*.toml"))


def test_installed_recipes_are_the_repository_recipes() -> None:
    assert REPO_RECIPES and recipe_names() == REPO_RECIPES
    assert {"default", "toy"} <= set(REPO_RECIPES)


@pytest.mark.parametrize("name", REPO_RECIPES)
def test_every_recipe_loads(name: str) -> None:
    config = load_recipe(name)
    assert isinstance(config, SolverConfig)
    assert config.name == name
    assert config.description.strip(), f"recipe {name} has no description"
    # The same file loads by path too.
    assert load_recipe(str(SOLVERS / f"{name}.toml")) == config


def test_toy_recipe_values() -> None:
    config = load_recipe("toy")
    assert config.backbone.name == "toy-wan22"
    assert (config.backbone.height, config.backbone.width) == (64, 64)
    assert config.lora.rank == 4 and config.lora.alpha == 4.0


def test_overrides_parse_ints_floats_lists_strings_and_none() -> None:
    config = resolve_config(
        "toy",
        [
            "train.steps=5",
            "train.lr=0.5",
            "lora.alpha=3",                   # an int where a float goes widens
            'lora.targets=["to_q", "to_k"]',
            "train.seconds=None",
            "encoder.cell_px=none",
            "backbone.name=wan22",            # a bare word is a string
            'backbone.dtype="bfloat16"',
            "views.d8=false",
            "seed=7",                         # a top-level key
        ],
    )
    assert config.train.steps == 5 and type(config.train.steps) is int
    assert config.train.lr == 0.5
    assert config.lora.alpha == 3.0 and type(config.lora.alpha) is float
    assert config.lora.targets == ["to_q", "to_k"]
    assert config.train.seconds is None
    assert config.encoder.cell_px is None
    assert config.backbone.name == "wan22"
    assert config.backbone.dtype == "bfloat16"
    assert config.views.d8 is False
    assert config.seed == 7
    # Untouched settings keep the recipe's values.
    assert config.sample == load_recipe("toy").sample


def test_none_replaces_a_value() -> None:
    config = resolve_config("toy", ["train.seconds=2.5"])
    assert config.train.seconds == 2.5
    assert apply_overrides(config, ["train.seconds=null"]).train.seconds is None


def test_model_option_sets_the_weights_path() -> None:
    assert resolve_config("toy", model="/weights/wan").backbone.path == "/weights/wan"


def test_overrides_do_not_change_the_recipe() -> None:
    base = load_recipe("toy")
    apply_overrides(base, ["train.steps=99"])
    assert base.train.steps == load_recipe("toy").train.steps


@pytest.mark.parametrize(
    ("override", "names"),
    [
        ("train.nonexistent=1", ["nonexistent", "steps"]),      # lists the known keys
        ("nosection.steps=1", ["nosection", "train"]),         # lists the sections
        ("colour=3", ["colour"]),
        ("train.steps.deeper=1", ["steps"]),
        ("train.steps", ["section.key=value"]),                # no '='
    ],
)
def test_unknown_keys_and_sections_are_refused_by_name(override: str, names: list[str]) -> None:
    with pytest.raises(ConfigError) as err:
        resolve_config("toy", [override])
    for name in names:
        assert name in str(err.value)


def test_unknown_solver_lists_the_names() -> None:
    with pytest.raises(ConfigError) as err:
        load_recipe("nosuchsolver")
    message = str(err.value)
    assert "nosuchsolver" in message
    for name in REPO_RECIPES:
        assert name in message


@pytest.mark.parametrize(
    "override",
    [
        'train.steps="many"',
        "train.steps=1.5",
        "train.steps=true",      # a bool is not an int
        "views.d8=1",            # an int is not a bool
        "lora.targets=3",
        "backbone.dtype=float16",
        "train.lr=0",
        "lora.rank=-1",
        "views.num_views=0",
        "sample.num_steps=0",
        "train.mixed_precision=fp8",
        "encoder=3",             # a section replaced by a value
    ],
)
def test_wrong_types_and_values_are_refused(override: str) -> None:
    with pytest.raises(ConfigError) as err:
        resolve_config("toy", [override])
    key = override.split("=")[0].split(".")[-1]
    assert key in str(err.value)


def test_recipe_file_with_an_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\n[train]\nsteps = 3\nstepz = 4\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_recipe(str(path))
    assert str(path) in str(err.value) and "stepz" in str(err.value)


def test_recipe_file_with_malformed_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[train\nsteps = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="malformed TOML"):
        load_recipe(str(path))


def test_missing_recipe_file() -> None:
    with pytest.raises(ConfigError, match="no such recipe file"):
        load_recipe("/nonexistent/recipe.toml")
