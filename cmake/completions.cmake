# Writes the shell completion scripts into DIR by running the built liaison (BIN):
# DIR/liaison (bash), DIR/_liaison (zsh), DIR/liaison.fish — the names each shell's
# completion directory wants (cmake --install puts them there).
foreach(pair "bash;liaison" "zsh;_liaison" "fish;liaison.fish")
  list(GET pair 0 shell)
  list(GET pair 1 name)
  execute_process(COMMAND "${BIN}" completion ${shell} OUTPUT_FILE "${DIR}/${name}" RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "liaison completion ${shell} failed: ${failed}")
  endif()
endforeach()
