"""Machine translation: the engine protocol and its engines (argos, pseudo), Argos packages,
and protection of what MT must not touch. Engines know no term base and no memory."""
